#!/usr/bin/env bash
# first-build.sh: measures what a new reader waits for, on a fresh clone of
# this checkout's HEAD (packages installed, nothing built, no compiler
# cache): from `make run CH=06` to the echo server saying it is ready,
# `make run CH=06` again with nothing to rebuild (the median of three),
# and from `make serve` to the site answering. Writes the figures to
# docs/first-build.txt, which conf.py turns into |first-run-06|,
# |noop-run| and |first-serve| for the chapters and the testing page. Not
# part of make test (it takes minutes): run it after a change to the
# build, on a machine as quiet as you can get it; the file records the
# load average too.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/metalio-first-build.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
    rm -rf "$scratch"
}
trap cleanup EXIT
# A reader's machine has no ccache set up for this project.
unset CMAKE_CXX_COMPILER_LAUNCHER CMAKE_C_COMPILER_LAUNCHER JOBS

# measure NAME SECONDS_LIMIT PATTERN COMMAND...: runs COMMAND in a fresh
# clone, in its own process group, and prints the seconds until its output
# holds PATTERN (or until PROBE succeeds, when PATTERN is "probe:URL").
measure() {
    local name=$1 limit=$2 pattern=$3
    shift 3
    git clone --quiet "$root" "$scratch/$name"
    local out=$scratch/$name.out start=$SECONDS
    (cd "$scratch/$name" && exec setsid "$@" >"$out" 2>&1) &
    pids+=($!)
    while ((SECONDS - start < limit)); do
        if [[ $pattern == probe:* ]]; then
            python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
                "${pattern#probe:}" 2>/dev/null && break
        elif grep -q -F -- "$pattern" "$out"; then
            break
        fi
        sleep 0.5
    done
    local seconds=$((SECONDS - start))
    kill -- "-${pids[-1]}" 2>/dev/null || true
    if ((seconds >= limit)); then
        echo "first-build: $name did not get ready within $limit s; its output:" >&2
        cat "$out" >&2
        exit 1
    fi
    echo "$seconds"
}

load=$(cut -d' ' -f1 /proc/loadavg)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run06=$(measure run06 1800 "You can connect to the server" make run CH=06 ARGS=127.0.0.1:0)
# Then make run with nothing to rebuild (the address "none" makes the
# example exit at once), three times: the median, in tenths of a second.
noops=()
for _ in 1 2 3; do
    noop_start=$(date +%s%N)
    (cd "$scratch/run06" && make run CH=06 ARGS=none >/dev/null 2>&1) || true
    noops+=($((($(date +%s%N) - noop_start) / 100000000)))
done
noop=$(printf '%s\n' "${noops[@]}" | sort -n | sed -n 2p)
noop=$((noop / 10)).$((noop % 10))
serve=$(measure serve 1800 "probe:http://127.0.0.1:$port/index.html" make serve PORT="$port")
{
    echo "# Written by tests/tools/first-build.sh; read by conf.py."
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cores: $(nproc)"
    echo "load: $load (1-minute load average when the measurement started)"
    echo "run06: $run06"
    echo "noop: $noop"
    echo "serve: $serve"
} >"$root/docs/first-build.txt"
cat "$root/docs/first-build.txt"
