#!/usr/bin/env bash
# build.sh <name> [cmake options...]: configure and build build/<name>.
#   epoll  the default build (exercises included)
#   poll   -DMETALIO_SELECTOR=poll
#   kqueue -DMETALIO_SELECTOR=kqueue (any name containing "kqueue"); on Linux
#          it runs on libkqueue: LIBKQUEUE_PREFIX says where it is installed
# More options (sanitizers) are passed through by test.sh.
set -euo pipefail
name=$1
shift
options=(-DCMAKE_BUILD_TYPE=Debug)
# The selector is part of the name: "poll", "asan-poll", "tsan-poll" build
# on poll(2); every other name on epoll. Said explicitly both ways, so a
# build directory never keeps the other selector from an earlier configure.
if [[ $name == *kqueue* ]]; then
    options+=(-DMETALIO_SELECTOR=kqueue)
    if [[ $(uname -s) == Linux ]]; then
        if [[ -z ${LIBKQUEUE_PREFIX:-} ]]; then
            echo "build $name: the kqueue selector on Linux needs libkqueue; set LIBKQUEUE_PREFIX=<where it is installed> (docs/developing.rst)" >&2
            exit 1
        fi
        options+=("-DMETALIO_LIBKQUEUE_PREFIX=$LIBKQUEUE_PREFIX")
    fi
elif [[ $name == poll || $name == *-poll ]]; then
    options+=(-DMETALIO_SELECTOR=poll)
else
    options+=(-DMETALIO_SELECTOR=epoll)
fi
cmake -S . -B "build/$name" "${options[@]}" "$@" >"build-$name.log" 2>&1 || { cat "build-$name.log"; rm -f "build-$name.log"; exit 1; }
rm -f "build-$name.log"
cmake --build "build/$name" -j"${JOBS:-2}"
