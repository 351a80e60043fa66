# The Wine prefix of a Windows cross build (cmake/toolchains/mingw-w64.cmake):
# made once, when the build directory is configured, because `wineboot -i`
# takes several seconds and every test would otherwise pay for it.
# tests/tools/wine.sh finds it as <build>/wine-prefix.
set(METALIO_WINEPREFIX ${CMAKE_BINARY_DIR}/wine-prefix)
if(NOT EXISTS ${METALIO_WINEPREFIX}/system.reg)
  message(STATUS "Creating the Wine prefix ${METALIO_WINEPREFIX} (once per build directory)")
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env METALIO_WINEPREFIX=${METALIO_WINEPREFIX}
            ${CMAKE_CROSSCOMPILING_EMULATOR} wineboot -i
    RESULT_VARIABLE wineboot_result OUTPUT_QUIET ERROR_QUIET)
  # wineboot returns before the prefix is finished: the wineserver writes
  # the registry when it exits, and until then the next Wine program may
  # start a second set-up of the prefix. Tests started at that moment, several
  # at once under ctest -j, could hang; wait for the server to finish first.
  find_program(METALIO_WINESERVER wineserver REQUIRED)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env WINEPREFIX=${METALIO_WINEPREFIX} ${METALIO_WINESERVER} -w
                  OUTPUT_QUIET ERROR_QUIET)
  if(NOT wineboot_result EQUAL 0 OR NOT EXISTS ${METALIO_WINEPREFIX}/system.reg)
    message(FATAL_ERROR "wineboot could not create ${METALIO_WINEPREFIX} (is wine64 installed?)")
  endif()
endif()
