#!/usr/bin/env bash
# run.sh NN [args...]: build stage NN's examples (only them and the library
# under them: no tests, no exercises) and run the first one, or the one
# named by EXAMPLE=name (make run CH=08 EXAMPLE=unix_echo). NN may be given
# as one digit (CH=6). SELECTOR=poll builds and runs it on the poll(2) selector (build/poll);
# the default, and SELECTOR=both, use epoll (build/epoll).
# OS=windows cross-compiles instead (build/windows) and runs it under Wine.
set -euo pipefail
chapter=${1:-}
shift || true
[[ $chapter =~ ^[0-9]$ ]] && chapter=0$chapter
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
# The exercises are checked in the epoll build only (as in make test).
build_options=()
[[ $build == poll ]] && build_options=(-DMETALIO_BUILD_EXERCISES=OFF)
runner=()
if [[ ${OS:-} == windows ]]; then
    build=windows
    build_options=(-DMETALIO_BUILD_EXERCISES=OFF)
    runner=(tests/tools/wine.sh)
elif [[ -n ${OS:-} && ${OS:-} != linux ]]; then
    echo "OS must be windows or linux, not '${OS}': type make run CH=$chapter OS=windows." >&2
    exit 2
fi
BUILD_TARGETS=stage${chapter}_examples tests/tools/build.sh "$build" "${build_options[@]}"
list=build/$build/examples/$chapter.txt
programs=()
[[ -f $list ]] && mapfile -t programs < <(grep . "$list")
[[ ${#programs[@]} -gt 0 ]] || { echo "Stage $stage has no example program to run here." >&2; exit 2; }
program=${programs[0]}
if [[ -n ${EXAMPLE:-} ]]; then
    program=
    names=()
    for candidate in "${programs[@]}"; do
        base=$(basename "$candidate" .exe)
        base=${base#stage"${chapter}"_}
        names+=("$base")
        [[ $base == "$EXAMPLE" ]] && program=$candidate
    done
    if [[ -z $program ]]; then
        echo "Stage $stage has no example '$EXAMPLE': type make run CH=$chapter EXAMPLE=NAME, with NAME one of ${names[*]}." >&2
        exit 2
    fi
fi
echo "== $stage: ${program#"$PWD/"}"
exec "${runner[@]}" "$program" "$@"
