#!/usr/bin/env bash
# run.sh NN [args...]: build stage NN's example(s) and run the first one.
# OS=windows: cross-compile (build/windows) and run it under Wine.
set -euo pipefail
chapter=${1:-}
shift || true
if [[ ! $chapter =~ ^[0-9][0-9]$ ]]; then
    echo "Say which chapter: make run CH=NN, one of: $(ls code | cut -c1-2 | tr '\n' ' ')" >&2
    exit 2
fi
stage=$(ls -d code/"$chapter"-* 2>/dev/null | head -n1)
mkdir -p build
[[ -n $stage ]] || { echo "There is no stage $chapter; stages: $(ls code | tr '\n' ' ')" >&2; exit 2; }
echo "== building (the first build of a checkout takes a few minutes)"
build=epoll
runner=()
if [[ ${OS:-} == windows ]]; then
    build=windows
    runner=(tests/tools/wine.sh)
elif [[ -n ${OS:-} && ${OS:-} != linux ]]; then
    echo "OS=${OS} is not one metalio builds for: say OS=windows, or nothing for Linux" >&2
    exit 2
fi
if ! tests/tools/build.sh "$build" $([[ $build == windows ]] && echo -DMETALIO_BUILD_EXERCISES=OFF) >build/run-build.log 2>&1; then
    cat build/run-build.log
    echo "The build failed: the compiler's messages are above." >&2
    exit 1
fi
list=build/$build/examples/$chapter.txt
program=$(head -n1 "$list")
[[ -n $program ]] || { echo "Stage $stage has no example." >&2; exit 2; }
echo "== $stage: ${program#"$PWD/"}"
exec "${runner[@]}" "$program" "$@"
