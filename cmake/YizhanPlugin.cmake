# yizhan_add_plugin(<name> SOURCES...): the one way a plugin is built.
# A MODULE library named yizhan_<name>.so in lib/yizhan/plugins, exporting only
# yizhan_plugin_entry_v1 (hidden visibility, static deps' symbols excluded, and a
# linker version script for the weak libstdc++/Boost.System symbols that hidden
# visibility leaves visible; no undefined symbols left for the host to satisfy).
# Checked by the ctest Plugins.ExportOnlyTheEntryPoint (examples/).
function(yizhan_add_plugin name)
  add_library(plugin_${name} MODULE ${ARGN})
  set_target_properties(plugin_${name} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    PREFIX ""
    OUTPUT_NAME "yizhan_${name}"
    LIBRARY_OUTPUT_DIRECTORY ${YIZHAN_PLUGIN_DIR})
  set(map ${CMAKE_BINARY_DIR}/yizhan_plugin_exports.map)
  file(CONFIGURE OUTPUT ${map} CONTENT "{\n  global: yizhan_plugin_entry_v1;\n  local: *;\n};\n")
  target_link_libraries(plugin_${name} PRIVATE yizhan::sdk)
  target_link_options(plugin_${name} PRIVATE LINKER:--exclude-libs,ALL LINKER:--no-undefined
                      LINKER:--version-script=${map})
  set_property(TARGET plugin_${name} APPEND PROPERTY LINK_DEPENDS ${map})
endfunction()
