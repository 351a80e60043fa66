# Cross-compiling metalio for 64-bit Windows with mingw-w64 (Debian:
# g++-mingw-w64-x86-64-posix), and running what was built under Wine.
#
#   cmake -S . -B build/windows -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64.cmake -DMETALIO_SELECTOR=iocp
#
# (tests/tools/build.sh does this for every build whose name contains
# "windows".) The "-posix" compilers use winpthreads, which std::thread and
# std::mutex need; the "-win32" ones have no std::thread in GCC 12.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

# Libraries and headers of the target only; programs (doxygen, python) of the
# host. Packages from both: doctest is header-only and its CMake helpers are
# host files (tests/CMakeLists.txt points its include directory at a copy of
# the one header, so no host header reaches the cross compiler).
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# Link libgcc, libstdc++ and winpthreads statically: Wine then needs no
# mingw DLLs on its path, and a test binary can be copied anywhere.
#
# --allow-multiple-definition: with -std=c++23, GCC 12's <typeinfo> defines
# std::type_info::operator== inline, and mingw-w64's libstdc++.a defines it
# too (GCC bug 110572, fixed in GCC 13); the two definitions are the same
# function, so the linker may keep either.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -Wl,--allow-multiple-definition")

# Every program CMake or CTest runs (tests, doctest's test discovery) goes
# through Wine with this build's own prefix (cmake/MetalioWine.cmake makes it
# once, at configure time).
set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/../../tests/tools/wine.sh")
