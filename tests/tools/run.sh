#!/usr/bin/env bash
# run.sh NN [args...]: build stage NN's example(s) and run the first one.
# SELECTOR=poll builds and runs it on the poll(2) selector (build/poll);
# the default, and SELECTOR=both, use epoll (build/epoll).
# OS=windows cross-compiles instead (build/windows) and runs it under Wine.
set -euo pipefail
chapter=${1:-}
shift || true
chapters=$(ls code | cut -c1-2 | tr '\n' ' ')
if [[ ! $chapter =~ ^[0-9][0-9]$ ]]; then
    echo "make run needs a chapter number: type make run CH=NN, with NN one of ${chapters% }." >&2
    exit 2
fi
stage=$(ls -d code/"$chapter"-* 2>/dev/null | head -n1 || true)
if [[ -z $stage ]]; then
    echo "There is no chapter $chapter: type make run CH=NN, with NN one of ${chapters% }." >&2
    exit 2
fi
selector=${SELECTOR:-epoll}
[[ $selector == both ]] && selector=epoll
if [[ $selector != epoll && $selector != poll ]]; then
    echo "SELECTOR must be epoll or poll, not '$selector': type make run CH=$chapter SELECTOR=poll." >&2
    exit 2
fi
build=$selector
build_options=()
runner=()
if [[ ${OS:-} == windows ]]; then
    build=windows
    build_options=(-DMETALIO_BUILD_EXERCISES=OFF)
    runner=(tests/tools/wine.sh)
elif [[ -n ${OS:-} && ${OS:-} != linux ]]; then
    echo "OS must be windows or linux, not '${OS}': type make run CH=$chapter OS=windows." >&2
    exit 2
fi
tests/tools/build.sh "$build" "${build_options[@]}"
list=build/$build/examples/$chapter.txt
program=$(head -n1 "$list" 2>/dev/null || true)
[[ -n $program ]] || { echo "Stage $stage has no example program to run." >&2; exit 2; }
echo "== $stage: ${program#"$PWD/"}"
exec "${runner[@]}" "$program" "$@"
