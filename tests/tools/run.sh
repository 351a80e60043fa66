#!/usr/bin/env bash
# run.sh NN [args...]: build stage NN's example(s) and run the first one.
set -euo pipefail
chapter=${1:-}
shift || true
if [[ ! $chapter =~ ^[0-9][0-9]$ ]]; then
    echo "Say which chapter: make run CH=NN, one of: $(ls code | cut -c1-2 | tr '\n' ' ')" >&2
    exit 2
fi
stage=$(ls -d code/"$chapter"-* 2>/dev/null | head -n1)
[[ -n $stage ]] || { echo "There is no stage $chapter; stages: $(ls code | tr '\n' ' ')" >&2; exit 2; }
tests/tools/build.sh epoll >/dev/null
list=build/epoll/examples/$chapter.txt
program=$(head -n1 "$list")
[[ -n $program ]] || { echo "Stage $stage has no example." >&2; exit 2; }
echo "== $stage: ${program#"$PWD/"}"
exec "$program" "$@"
