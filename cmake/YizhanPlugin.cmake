# yizhan_add_plugin(<name> SOURCES...): the one way a plugin is built.
# A MODULE library named yizhan_<name>.so in lib/yizhan/plugins, exporting only
# yizhan_plugin_entry_v1 (hidden visibility, static deps' symbols excluded,
# no undefined symbols left for the host to satisfy).
function(yizhan_add_plugin name)
  add_library(plugin_${name} MODULE ${ARGN})
  set_target_properties(plugin_${name} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    PREFIX ""
    OUTPUT_NAME "yizhan_${name}"
    LIBRARY_OUTPUT_DIRECTORY ${YIZHAN_PLUGIN_DIR})
  target_link_libraries(plugin_${name} PRIVATE yizhan::sdk)
  target_link_options(plugin_${name} PRIVATE LINKER:--exclude-libs,ALL LINKER:--no-undefined)
endfunction()
