cmake_minimum_required(VERSION 3.25)
# cmake -P script run by the Examples.MinimalPluginAgainstInstalledSdk test (see
# CMakeLists.txt here). Steps, each failing the test with the step named:
#   1. cmake --install MAIN_BINARY_DIR --component sdk --prefix WORK_DIR/sdk
#   2. configure EXAMPLE_SOURCE_DIR with only that prefix to find the SDK in
#   3. build it   4. run its tests
#   5. check that its plugin exports only the entry point (when -DNM= is given)
foreach(var MAIN_BINARY_DIR EXAMPLE_SOURCE_DIR WORK_DIR GENERATOR CXX_COMPILER BUILD_TYPE)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "build_against_installed_sdk.cmake: -D${var}=... is required")
  endif()
endforeach()

set(prefix ${WORK_DIR}/sdk)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# Prints a nested tool's output indented, so its summary lines never read as ours.
function(show title text)
  string(REGEX REPLACE "\n$" "" text "${text}")
  string(REPLACE "\n" "\n  | " text "${text}")
  message("-- ${title}\n  | ${text}")
endfunction()

function(step title)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  show("${title}" "${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "FAILED step: ${title} (exit ${rc})")
  endif()
endfunction()

step("install the SDK component into ${prefix}"
  ${CMAKE_COMMAND} --install ${MAIN_BINARY_DIR} --component sdk --prefix ${prefix})

# Nothing of the main build may leak in: only the installed prefix is searched for
# YizhanSdk; system packages (Boost, GTest, yaml-cpp) come from /usr as usual.
set(configure_args
  -S ${EXAMPLE_SOURCE_DIR} -B ${build} -G ${GENERATOR}
  -DCMAKE_PREFIX_PATH=${prefix}
  -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON
  -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
  -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}")
if(CXX_FLAGS_CONFIG)
  string(TOUPPER "${BUILD_TYPE}" config)
  list(APPEND configure_args "-DCMAKE_CXX_FLAGS_${config}=${CXX_FLAGS_CONFIG}")
endif()
if(CXX_COMPILER_LAUNCHER)
  list(APPEND configure_args -DCMAKE_CXX_COMPILER_LAUNCHER=${CXX_COMPILER_LAUNCHER})
endif()
step("configure examples/minimal_plugin against the installed SDK" ${CMAKE_COMMAND} ${configure_args})
step("build examples/minimal_plugin" ${CMAKE_COMMAND} --build ${build} --parallel 2)
step("run examples/minimal_plugin's tests (the conformance kit)"
  ${CMAKE_CTEST_COMMAND} --test-dir ${build} --output-on-failure --no-tests=error)
if(NM)
  step("check what the example plugin exports"
    ${CMAKE_COMMAND} -DNM=${NM} -DPLUGIN_DIRS=${build}/plugins -DEXPECTED_PLUGINS=1
      -P ${CMAKE_CURRENT_LIST_DIR}/check_plugin_exports.cmake)
endif()
