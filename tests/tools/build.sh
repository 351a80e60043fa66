#!/usr/bin/env bash
# build.sh <name> [cmake options...]: configure and build build/<name>.
#   epoll  the default build (exercises included)
#   poll   -DMETALIO_SELECTOR=poll
#   windows  cross-compiled with mingw-w64 on IOCP, tests run under Wine
#   kqueue -DMETALIO_SELECTOR=kqueue (any name containing "kqueue"); on Linux
#          it runs on libkqueue: LIBKQUEUE_PREFIX says where it is installed
#   portable-poll, portable-kqueue  any name containing "portable" adds
#          -DMETALIO_PORTABLE_UNIX=ON: the fallbacks of macOS and the BSDs
#          (pipe + fcntl, accept + fcntl, a pipe Waker, ...), run on Linux
# More options (sanitizers) are passed through by test.sh.
#
# Quiet unless it fails: one line says what is built, the compiler's output
# goes to build/<name>/build.log, and only a failure prints it (without the
# progress lines). VERBOSE=1 shows everything as it happens.
# BUILD_TARGETS="a b" builds only those CMake targets (make check uses it).
set -euo pipefail
name=$1
shift
# The tests opt in to fault injection (the library's default has none).
options=(-DCMAKE_BUILD_TYPE=Debug -DMETALIO_BUILD_TESTS=ON -DMETALIO_FAULT_INJECTION=ON)
# The selector is part of the name: "poll", "asan-poll", "tsan-poll" build
# on poll(2); a name containing "windows" cross-compiles for Windows on IOCP
# (tests run under Wine); a name containing "kqueue" builds on kqueue; every
# other name builds on epoll. Said explicitly every time, so a build directory
# never keeps another selector from an earlier configure.
if [[ $name == *windows* ]]; then
    options+=(-DMETALIO_SELECTOR=iocp -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchains/mingw-w64.cmake")
elif [[ $name == *kqueue* ]]; then
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
elif [[ $(uname -s) != Linux ]]; then
    # No epoll outside Linux: macOS and the BSDs get their kernel's kqueue.
    options+=(-DMETALIO_SELECTOR=kqueue)
else
    options+=(-DMETALIO_SELECTOR=epoll)
fi
if [[ $name == *portable* ]]; then
    options+=(-DMETALIO_PORTABLE_UNIX=ON)
fi
# A new build directory uses Ninja: a build with nothing to do then takes a
# fraction of a second where Make's recursive makefiles take seconds (one
# `make` and several `cmake` processes per target). A directory made
# earlier keeps the generator it was made with (CMake cannot switch it).
if [[ ! -f build/$name/CMakeCache.txt ]] && command -v ninja >/dev/null; then
    options+=(-G Ninja)
fi
targets=()
for target in ${BUILD_TARGETS:-}; do targets+=(--target "$target"); done
mkdir -p "build/$name"
log=build/$name/build.log
# Configure only when something the configuration depends on changed: the
# options, or the set of stages, exercises, learner files and test suites
# (globbed once at configure time). Anything else, such as an edited
# CMakeLists.txt, makes `cmake --build` configure again by itself. This
# saves the seconds of a configure on every `make run`.
key=$(printf '%s\n' "${options[@]}" "$@" "LIBKQUEUE_PREFIX=${LIBKQUEUE_PREFIX:-}" \
      code/*/ exercises/*/ exercises/*/exercise.cpp tests/conformance/*/CMakeLists.txt)
configured() {
    [[ -f build/$name/CMakeCache.txt && -f build/$name/configure.key && $(<"build/$name/configure.key") == "$key" ]]
}
if [[ ! -f build/$name/CMakeCache.txt ]]; then
    echo "== building ${BUILD_TARGETS:-everything} in build/$name (a first build: only what this command needs; later builds recompile only what changed)"
elif [[ -n ${BUILD_TARGETS:-} ]]; then
    echo "== building ${BUILD_TARGETS} in build/$name"
else
    echo "== building build/$name"
fi
configure() {
    configured && return 0
    rm -f "build/$name/configure.key"
    cmake -S . -B "build/$name" "${options[@]}" "$@" || return
    printf '%s\n' "$key" >"build/$name/configure.key"
}
if [[ ${VERBOSE:-0} == 1 ]]; then
    configure "$@"
    cmake --build "build/$name" -j"${JOBS:-2}" "${targets[@]}"
    exit
fi
source "$(dirname "$0")/quiet-build.sh"
configure_and_build() {
    configure "$@" || return
    # Ninja directly when it is the generator: it re-runs CMake by itself
    # when a CMakeLists.txt changed, and it saves the start of a cmake
    # process (more than half of a build with nothing to do).
    if [[ -f build/$name/build.ninja ]]; then
        ninja -C "build/$name" -j"${JOBS:-2}" ${BUILD_TARGETS:-}
    else
        cmake --build "build/$name" -j"${JOBS:-2}" "${targets[@]}"
    fi
}
: >"$log"
if ! quiet_build "$log" configure_and_build "$@"; then
    # Without the progress lines, and without Ninja's copy of each failed
    # command line (the compiler's messages follow it).
    grep -v -E '^(\[ *[0-9]+%\]|\[[0-9]+/[0-9]+\]|gmake|make\[|Consolidate|Scanning|-- |ninja: |(ccache )?/[^ ]+ -)' "$log" >&2 || true
    echo "The build of build/$name failed: the compiler's messages are above (everything: $log)." >&2
    exit 1
fi
