#!/usr/bin/env bash
# check.sh STAGE SELECTOR: the contributor's inner loop (make check).
# Builds only stage STAGE's test program (and what it links: stages
# 01..STAGE and its examples) in build/<selector>, then runs the tests
# labelled stageSTAGE. SELECTOR is epoll, poll, both or kqueue (on Linux
# with LIBKQUEUE_PREFIX set: see docs/developing.rst). After the first
# build of a selector this takes seconds.
set -euo pipefail
stage=${1:-}
selector=${2:-both}
[[ $stage =~ ^[0-9]$ ]] && stage=0$stage
stages=$(ls tests | grep -E '^[0-9][0-9]-' | cut -c1-2 | tr '\n' ' ')
if [[ ! $stage =~ ^[0-9][0-9]$ ]] || [[ ! -d $(ls -d tests/"$stage"-* 2>/dev/null | head -n1 || true) ]]; then
    echo "make check needs a stage that has tests: type make check STAGE=NN SELECTOR=epoll|poll|both, with NN one of ${stages% }." >&2
    exit 2
fi
case $selector in
    both) selectors=(epoll poll) ;;
    epoll | poll | kqueue) selectors=("$selector") ;;
    *) echo "SELECTOR must be epoll, poll, both or kqueue, not '$selector': type make check STAGE=$stage SELECTOR=poll." >&2; exit 2 ;;
esac
for name in "${selectors[@]}"; do
    BUILD_TARGETS=test_stage$stage tests/tools/build.sh "$name"
    echo "== stage $stage on $name"
    log=build/$name/check-stage$stage.log
    if ! ctest --test-dir "build/$name" -L "stage$stage" -j"${JOBS:-2}" --output-on-failure --timeout 120 >"$log" 2>&1; then
        grep -v -E '^ *(Start|[0-9]+/[0-9]+ Test +#.*Passed)' "$log" >&2
        echo "stage $stage fails on $name: the failing tests and their output are above." >&2
        exit 1
    fi
    grep -E 'tests passed' "$log"
done
