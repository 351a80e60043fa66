#!/usr/bin/env bash
# wine.sh program.exe [args...]: runs a Windows program of a cross build
# under Wine, as CMake's CMAKE_CROSSCOMPILING_EMULATOR (cmake/toolchains/mingw-w64.cmake).
#
# The Wine prefix is the build's own throw-away one, <build>/wine-prefix,
# found from the program's path (every program of a build lies below it) or
# from METALIO_WINEPREFIX. No GUI, no Mono or Gecko installer, no debug
# chatter: a test's output is the program's own.
set -euo pipefail
if [[ -z ${METALIO_WINEPREFIX:-} ]]; then
    dir=$(cd "$(dirname "$1")" && pwd)
    while [[ $dir != / && ! -f $dir/CMakeCache.txt ]]; do dir=$(dirname "$dir"); done
    [[ -f $dir/CMakeCache.txt ]] || { echo "wine.sh: $1 is not inside a CMake build directory" >&2; exit 2; }
    METALIO_WINEPREFIX=$dir/wine-prefix
fi
export WINEPREFIX=$METALIO_WINEPREFIX
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
export WINEARCH=win64
# One wine server for a whole ctest run: by default it exits as soon as its
# last program does, and with tests starting and ending in parallel a new
# program can then connect to a server that is shutting down and hang. A
# server kept for 60 s after its last client closes that gap (and saves the
# restart); starting it when one runs already is a no-op (exit status 2).
#
# The first program of a new session also starts Wine's background
# processes (services.exe, winedevice.exe, plugplay.exe), and they inherit
# that program's stdout and stderr and keep them open until the server
# exits. Under CTest those are the test's output pipe, which then reaches
# end-of-file only 60 s after the test ended: the test "hangs" until its
# timeout. So a new session is booted first by wineboot with its output
# going nowhere, under a lock that makes a test starting at the same moment
# wait for the boot instead of becoming the session's first program.
mkdir -p "$WINEPREFIX"
exec 9>>"$WINEPREFIX/.metalio-session.lock"
flock 9
if wineserver -p60 >/dev/null 2>&1; then
    wine wineboot </dev/null >/dev/null 2>&1 || true
fi
flock -u 9
exec 9>&-
exec wine "$@"
