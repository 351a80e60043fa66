#!/usr/bin/env bash
# progress.sh: every exercise, done or not, by building each learner file
# (only its own test program: exercise-lib.sh) and running its tests.
set -uo pipefail
source "$(dirname "$0")/exercise-lib.sh"
done_count=0
total=0
started=$(ls exercises/[0-9][0-9]-*/exercise.cpp 2>/dev/null | wc -l)
((started > 0)) && echo "Building and testing the $started exercise files you have started:"
for home in exercises/[0-9][0-9]-*/; do
    home=${home%/}
    number=$(basename "$home" | cut -c1-2)
    total=$((total + 1))
    if [[ ! -f $home/exercise.cpp ]]; then
        state="not started   (make exercise EX=$number)"
    else
        [[ -t 1 ]] && printf '  %-22s building...' "$(basename "$home")"
        if ! MINE_QUIET=1 build_mine "$number" >/dev/null; then
            state="not done      (does not compile: make exercise EX=$number)"
        elif "$(mine_binary "$number")" >/dev/null 2>&1; then
            state="done"
            done_count=$((done_count + 1))
        else
            state="not done      (tests fail: make exercise EX=$number)"
        fi
        [[ -t 1 ]] && printf '\r\033[K'
    fi
    printf '  %-22s %s\n' "$(basename "$home")" "$state"
done
echo "$done_count of $total exercises done."
