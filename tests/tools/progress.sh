#!/usr/bin/env bash
# progress.sh: every exercise, done or not, by running each learner file's tests.
set -uo pipefail
source "$(dirname "$0")/exercise-lib.sh"
done_count=0
total=0
for home in exercises/[0-9][0-9]-*/; do
    home=${home%/}
    number=$(basename "$home" | cut -c1-2)
    total=$((total + 1))
    if [[ ! -f $home/exercise.cpp ]]; then
        state="not started   (make exercise EX=$number)"
    elif ! build_mine "$number" >/dev/null; then
        state="not done      (does not compile)"
    elif build/epoll/tests/exercise${number}_mine >/dev/null 2>&1; then
        state="done"
        done_count=$((done_count + 1))
    else
        state="not done      (tests fail: make exercise EX=$number)"
    fi
    printf '  %-22s %s\n' "$(basename "$home")" "$state"
done
echo "$done_count of $total exercises done."
