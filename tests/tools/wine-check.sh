#!/usr/bin/env bash
# wine-check.sh <build dir>: the first program of a fresh Wine server must not
# leave its output open behind it.
#
# Wine boots the prefix from the first program a new wine server sees, and
# the services it starts then (services.exe, winedevice.exe, plugplay.exe,
# svchost.exe) inherit that program's standard error and keep it for as long
# as the server lives. When that program was a test, CTest waited for the end
# of the test's output until its timeout. tests/tools/wine.sh prevents it
# (see there); this script checks that it does, without waiting for anything:
# it stops the build's wine server, runs one test program through wine.sh
# with its output in a file, and then looks for any process that still has
# that file open. The Windows step of make test runs it first, so its ctest
# run also starts on a fresh server.
#
# It stops the build's wine server: do not run it while that build's tests run.
set -euo pipefail
build=$(cd "${1:?usage: wine-check.sh <build dir>}" && pwd)
program=$build/tests/test_stage01.exe
[[ -f $program ]] || { echo "wine-check.sh: no $program (build the Windows target first)" >&2; exit 2; }
WINEPREFIX=$build/wine-prefix wineserver -k 2>/dev/null || true  # no server running is fine
WINEPREFIX=$build/wine-prefix wineserver -w

output=$(mktemp)
trap 'rm -f "$output"' EXIT
"$(dirname "$0")/wine.sh" "$program" --list-test-cases >"$output" 2>&1 </dev/null

holders=()
for fd in /proc/[0-9]*/fd/*; do
    if [[ $(readlink "$fd" 2>/dev/null) == "$output" ]]; then
        pid=${fd#/proc/}
        pid=${pid%%/*}
        holders+=("$pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)")
    fi
done
if ((${#holders[@]} > 0)); then
    echo "wine-check.sh: the test program has exited, but these processes still hold its output open" >&2
    echo "(CTest would wait for them until its timeout):" >&2
    printf '  %s\n' "${holders[@]}" >&2
    exit 1
fi
echo "wine-check.sh: the first program of a fresh wine server leaves no process holding its output"
