#!/usr/bin/env bash
# build.sh <name> [cmake options...]: configure and build build/<name>.
#   epoll  the default build (exercises included)
#   poll   -DMETALIO_SELECTOR=poll
# More options (sanitizers) are passed through by test.sh.
set -euo pipefail
name=$1
shift
options=(-DCMAKE_BUILD_TYPE=Debug)
[[ $name == poll* ]] && options+=(-DMETALIO_SELECTOR=poll)
cmake -S . -B "build/$name" "${options[@]}" "$@" >"build-$name.log" 2>&1 || { cat "build-$name.log"; rm -f "build-$name.log"; exit 1; }
rm -f "build-$name.log"
cmake --build "build/$name" -j"${JOBS:-2}"
