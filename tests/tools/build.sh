#!/usr/bin/env bash
# build.sh <name> [cmake options...]: configure and build build/<name>.
#   epoll  the default build (exercises included)
#   poll   -DMETALIO_SELECTOR=poll
#   windows  cross-compiled with mingw-w64 on IOCP, tests run under Wine
# More options (sanitizers) are passed through by test.sh.
set -euo pipefail
name=$1
shift
options=(-DCMAKE_BUILD_TYPE=Debug)
# The selector is part of the name: "poll", "asan-poll", "tsan-poll" build
# on poll(2); a name containing "windows" cross-compiles for Windows on IOCP
# (tests run under Wine); every other name builds on epoll. Said explicitly
# every time, so a build directory never keeps another selector from an
# earlier configure.
if [[ $name == *windows* ]]; then
    options+=(-DMETALIO_SELECTOR=iocp -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchains/mingw-w64.cmake")
elif [[ $name == poll || $name == *-poll ]]; then
    options+=(-DMETALIO_SELECTOR=poll)
else
    options+=(-DMETALIO_SELECTOR=epoll)
fi
cmake -S . -B "build/$name" "${options[@]}" "$@" >"build-$name.log" 2>&1 || { cat "build-$name.log"; rm -f "build-$name.log"; exit 1; }
rm -f "build-$name.log"
cmake --build "build/$name" -j"${JOBS:-2}"
