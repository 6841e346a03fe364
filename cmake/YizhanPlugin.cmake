# yizhan_add_plugin(): the one way a plugin is built — in this repository (plugins/<system>/)
# and against the installed SDK (find_package(YizhanSdk), which installs this same file).
#
# The plugin is a MODULE library plugin_<name>, the file yizhan_<name>.so in
# ${YIZHAN_PLUGIN_DIR}: lib/yizhan/plugins in this repository's build (where the hub
# looks), <build>/plugins by default against the installed SDK. It exports only
# yizhan_plugin_entry_v1 (hidden visibility, static deps' symbols excluded, and a linker
# version script for the weak libstdc++/Boost.System symbols that hidden visibility
# leaves visible; no undefined symbols left for the host to satisfy). Checked by the
# ctest Plugins.ExportOnlyTheEntryPoint (examples/).
#
# Short form, the plugin alone:
#
#   yizhan_add_plugin(minimal_plugin src/minimal_source.cpp)
#
# Full form, a department system's folder (plugins/<name>/: src/, sim/, tests/):
#
#   yizhan_add_plugin(<name>
#     CORE <src>...            the plugin's code, compiled once into the OBJECT library
#                              <name>_core (hidden visibility, PIC, src/ on its include path,
#                              linking yizhan::sdk) that the plugin, the tests and the
#                              simulator share
#     ENTRY <src>...           the entry point (src/plugin.cpp): plugin_<name> = ENTRY + core
#     [LINK <lib>...]          what <name>_core links besides yizhan::sdk (PUBLIC)
#     [SIM <src>...]           the simulator: executable sim-<name> (bin/), linking
#                              yizhan_sim_support (sim/support, when this build has it),
#                              Boost.JSON, Boost.ProgramOptions, Boost headers and threads
#     [SIM_LINK <lib>...]      what else it links
#     [SIM_DEFINITIONS <d>...] its compile definitions
#     [TESTS <src>...]         the GoogleTest binary <name>_tests (with YIZHAN_BUILD_TESTS),
#                              linking <name>_core, yizhan::sdk_testkit, GTest and Boost.JSON,
#                              compiled with <NAME>_SIM (the simulator's path),
#                              <NAME>_PLUGIN (the plugin's path) and <NAME>_EXAMPLE_CONFIG
#                              (config.example.yaml), and the ctest <name> (labels
#                              "plugin;<name>", timeout 600 s)
#     [TEST_LINK <lib>...]     what else the tests link
#     [TEST_DEFINITIONS <d>...] more compile definitions for the tests
#     [TEST_DEPENDS <t>...])   more targets the tests need built (e.g. the hub)
#
# <NAME> is <name> upper-cased. Paths are relative to the calling CMakeLists.txt.
function(yizhan_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
    "" "CORE;ENTRY;LINK;SIM;SIM_LINK;SIM_DEFINITIONS;TESTS;TEST_LINK;TEST_DEFINITIONS;TEST_DEPENDS")
  if(arg_ENTRY)
    set(entry ${arg_ENTRY})
  else()
    set(entry ${arg_UNPARSED_ARGUMENTS})  # the short form
  endif()
  if(NOT entry)
    message(FATAL_ERROR "yizhan_add_plugin(${name}): no sources (ENTRY, or the short form's list)")
  endif()

  if(arg_CORE)
    add_library(${name}_core OBJECT ${arg_CORE})
    set_target_properties(${name}_core PROPERTIES
      CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON POSITION_INDEPENDENT_CODE ON)
    target_include_directories(${name}_core PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/src)
    target_link_libraries(${name}_core PUBLIC yizhan::sdk ${arg_LINK})
  endif()

  add_library(plugin_${name} MODULE ${entry})
  set_target_properties(plugin_${name} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    PREFIX ""
    OUTPUT_NAME "yizhan_${name}"
    LIBRARY_OUTPUT_DIRECTORY ${YIZHAN_PLUGIN_DIR})
  set(map ${CMAKE_BINARY_DIR}/yizhan_plugin_exports.map)
  file(CONFIGURE OUTPUT ${map} CONTENT "{\n  global: yizhan_plugin_entry_v1;\n  local: *;\n};\n")
  target_link_libraries(plugin_${name} PRIVATE yizhan::sdk)
  if(arg_CORE)
    target_link_libraries(plugin_${name} PRIVATE ${name}_core)
  endif()
  target_link_options(plugin_${name} PRIVATE LINKER:--exclude-libs,ALL LINKER:--no-undefined
                      LINKER:--version-script=${map})
  set_property(TARGET plugin_${name} APPEND PROPERTY LINK_DEPENDS ${map})

  if(arg_SIM)
    add_executable(sim-${name} ${arg_SIM})
    if(TARGET yizhan_sim_support)
      target_link_libraries(sim-${name} PRIVATE yizhan_sim_support)
    endif()
    target_link_libraries(sim-${name} PRIVATE ${arg_SIM_LINK} Boost::json Boost::program_options Boost::headers
                          Threads::Threads)
    target_compile_definitions(sim-${name} PRIVATE ${arg_SIM_DEFINITIONS})
  endif()

  if(arg_TESTS AND (NOT DEFINED YIZHAN_BUILD_TESTS OR YIZHAN_BUILD_TESTS))
    string(TOUPPER ${name} NAME)
    add_executable(${name}_tests ${arg_TESTS})
    if(arg_CORE)
      target_link_libraries(${name}_tests PRIVATE ${name}_core)
    endif()
    target_link_libraries(${name}_tests PRIVATE yizhan::sdk_testkit GTest::gtest Boost::json ${arg_TEST_LINK})
    target_compile_definitions(${name}_tests PRIVATE
      ${NAME}_PLUGIN="$<TARGET_FILE:plugin_${name}>"
      ${NAME}_EXAMPLE_CONFIG="${CMAKE_CURRENT_SOURCE_DIR}/config.example.yaml"
      ${arg_TEST_DEFINITIONS})
    add_dependencies(${name}_tests plugin_${name} ${arg_TEST_DEPENDS})
    if(arg_SIM)
      target_compile_definitions(${name}_tests PRIVATE ${NAME}_SIM="$<TARGET_FILE:sim-${name}>")
      add_dependencies(${name}_tests sim-${name})
    endif()
    add_test(NAME ${name} COMMAND ${name}_tests)
    set_tests_properties(${name} PROPERTIES TIMEOUT 600 LABELS "plugin;${name}")
  endif()
endfunction()
