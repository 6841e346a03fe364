cmake_minimum_required(VERSION 3.25)
# cmake -P script run by the Plugins.ExportOnlyTheEntryPoint test (see CMakeLists.txt
# here): every yizhan_*.so in PLUGIN_DIRS must export yizhan_plugin_entry_v1 and no
# other symbol of its own (yizhan_add_plugin, cmake/YizhanPlugin.cmake: hidden visibility,
# --exclude-libs,ALL, a version script), so that two plugins never clash over a symbol.
#
# Investigated (GCC 12, binutils 2.40):
#  - the linker adds nothing of its own (no _init/_fini/_edata/_end in .dynsym);
#  - ASan/UBSan force nothing: a sanitized plugin's undefined __asan_*/__ubsan_*
#    references are satisfied by libasan.so/libubsan.so, and it defines no dynamic
#    symbol of its own that an unsanitized one would not. So there is no sanitizer
#    entry below; if a toolchain change adds one, this test names it.
#  - Not allowed, and what this test first caught: weak symbols that libstdc++
#    templates (namespace std has default visibility) and Boost.System
#    (BOOST_SYMBOL_VISIBLE error categories: vtables, typeinfo) put in the plugin
#    despite -fvisibility=hidden. Exported, they can bind to the hub's copies; the
#    cure is the linker version script in yizhan_add_plugin() (local: *).
foreach(var NM PLUGIN_DIRS)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_plugin_exports.cmake: -D${var}=... is required")
  endif()
endforeach()

set(allowed yizhan_plugin_entry_v1)

set(plugins "")
foreach(dir IN LISTS PLUGIN_DIRS)
  file(GLOB found ${dir}/yizhan_*.so)
  list(APPEND plugins ${found})
endforeach()
list(LENGTH plugins found)
if(NOT DEFINED EXPECTED_PLUGINS)
  set(EXPECTED_PLUGINS 1)
endif()
if(found LESS EXPECTED_PLUGINS)
  message(FATAL_ERROR "found ${found} plugin(s) (yizhan_*.so) in ${PLUGIN_DIRS}, expected at least "
    "${EXPECTED_PLUGINS} (one per plugins/<system>/ folder): build the plugins first")
endif()
if(found EQUAL 0)
  message("-- no plugin in this build yet: nothing to check")
endif()

set(failures "")
foreach(plugin IN LISTS plugins)
  execute_process(COMMAND ${NM} -D --defined-only ${plugin}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(APPEND failures "\n  ${plugin}: nm failed (${rc}): ${err}")
    continue()
  endif()
  string(REPLACE "\n" ";" lines "${out}")
  set(has_entry FALSE)
  set(extra "")
  foreach(line IN LISTS lines)
    # "<address> <type> <name>", the name possibly with @VERSION.
    if(NOT line MATCHES "^[0-9a-fA-F]+ +([A-Za-z]) +([^@ ]+)")
      continue()
    endif()
    set(name ${CMAKE_MATCH_2})
    if(name STREQUAL "yizhan_plugin_entry_v1")
      if(NOT CMAKE_MATCH_1 STREQUAL "T")
        string(APPEND failures "\n  ${plugin}: yizhan_plugin_entry_v1 is '${CMAKE_MATCH_1}', not a function (T)")
      endif()
      set(has_entry TRUE)
    elseif(NOT name IN_LIST allowed)
      list(APPEND extra "${CMAKE_MATCH_1} ${name}")
    endif()
  endforeach()
  if(NOT has_entry)
    string(APPEND failures "\n  ${plugin}: does not export yizhan_plugin_entry_v1")
  endif()
  list(LENGTH extra n)
  if(n GREATER 0)
    list(JOIN extra "\n      " shown)
    string(APPEND failures "\n  ${plugin}: exports ${n} symbol(s) besides the entry point:\n      ${shown}")
  endif()
  if(has_entry AND n EQUAL 0)
    message("-- ${plugin}: exports yizhan_plugin_entry_v1 only")
  endif()
endforeach()

if(failures)
  message(FATAL_ERROR "plugins export more than their entry point:${failures}\n"
    "Build plugins with yizhan_add_plugin() (hidden visibility, -Wl,--exclude-libs,ALL).")
endif()
