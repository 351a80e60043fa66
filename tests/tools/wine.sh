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
# One wine server for a whole ctest run, kept for 60 s after its last
# program: by default it exits with its last program, and tests that start
# and end one after the other would restart it (and boot the prefix again,
# below) every time. Starting it when one runs already is a no-op.
#
# The first Wine program a fresh server sees also boots the prefix: Wine's
# ntdll (run_wineboot) starts wineboot.exe --init, which starts services.exe,
# winedevice.exe, plugplay.exe and svchost.exe, and passes them the first
# program's standard error (standard input and output it does not pass on).
# Those services, and the server with them, live on after that program. When
# the first program is a test, they hold the test's output pipe open, and
# CTest, which waits for the end of that pipe, waits until its timeout
# although the test has passed and exited. (One of the two causes of the
# "one hang in a hundred" of issue 10: the first test after every server
# start; docs/testing.rst has both.)
# So the first program of a server is never a test: under a lock, a server
# this script has just started, or one that may be about to exit because no
# program started in the last 30 s, first runs cmd.exe with every standard
# stream on /dev/null. The services inherit /dev/null, and the server then
# lives at least 60 s more, long enough for the program below to connect.
# tests/tools/wine-check.sh checks that it works.
lock=${WINEPREFIX%/}.lock
[[ -e $lock ]] || touch -d @0 "$lock"  # made now: no program started lately
exec 9>>"$lock"
flock 9
fresh=0
wineserver -p60 >/dev/null 2>&1 9>&- && fresh=1  # 0: started one; 2: one runs already
if [[ -f $WINEPREFIX/system.reg ]] &&
   ((fresh || $(date +%s) - $(stat -c %Y "$lock") >= 30)); then
    # Without the lock's descriptor: a service that inherited it would hold
    # the lock for as long as it lives.
    wine cmd.exe /c exit </dev/null >/dev/null 2>&1 9>&- || true
fi
touch "$lock"
flock -u 9
exec 9>&-
exec wine "$@"
