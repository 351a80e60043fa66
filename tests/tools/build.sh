#!/usr/bin/env bash
# build.sh <name> [cmake options...]: configure and build build/<name>.
#   epoll  the default build (exercises included)
#   poll   -DMETALIO_SELECTOR=poll
# More options (sanitizers) are passed through by test.sh.
set -euo pipefail
name=$1
shift
options=(-DCMAKE_BUILD_TYPE=Debug)
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
