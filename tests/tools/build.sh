#!/usr/bin/env bash
# build.sh <name> [cmake options...]: configure and build build/<name>.
#   epoll  the default build (exercises included)
#   poll   -DMETALIO_SELECTOR=poll
# More options (sanitizers) are passed through by test.sh.
set -euo pipefail
name=$1
shift
# The tests opt in to fault injection (the library's default has none).
options=(-DCMAKE_BUILD_TYPE=Debug -DMETALIO_BUILD_TESTS=ON -DMETALIO_FAULT_INJECTION=ON)
# The selector is part of the name: "poll", "asan-poll", "tsan-poll" build
# on poll(2); every other name on epoll. Said explicitly both ways, so a
# build directory never keeps the other selector from an earlier configure.
if [[ $name == poll || $name == *-poll ]]; then
    options+=(-DMETALIO_SELECTOR=poll)
else
    options+=(-DMETALIO_SELECTOR=epoll)
fi
cmake -S . -B "build/$name" "${options[@]}" "$@" >"build-$name.log" 2>&1 || { cat "build-$name.log"; rm -f "build-$name.log"; exit 1; }
rm -f "build-$name.log"
cmake --build "build/$name" -j"${JOBS:-2}"
