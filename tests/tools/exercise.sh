#!/usr/bin/env bash
# exercise.sh NN: runs the tests of exercise NN against the learner's file,
# exercises/NN-slug/exercise.cpp (copied from stub.cpp the first time).
set -uo pipefail
source "$(dirname "$0")/exercise-lib.sh"
number=$(two_digits "${1:-}")
home=$(exercise_home "$number") || exit 2
mine=$home/exercise.cpp

if [[ ! -f $mine ]]; then
    cp "$home/stub.cpp" "$mine"
    echo "Created $mine from the stub. It is yours: edit it, then run make exercise EX=$number again."
    echo "The task is described at the top of the file and in $home/exercise.hpp."
    echo
fi

echo "== Building $mine"
if ! build_mine "$number"; then
    echo "Not done yet: make it compile, then run make exercise EX=$number again."
    exit 1
fi
echo "== Testing $mine"
binary=$(mine_binary "$number")
output=$("$binary" --no-path-filenames=true --no-version=true 2>&1)
status=$?
echo "$output" | grep -v -E '^\[doctest\] (doctest version|run with)'
summary=$(echo "$output" | grep -E '^\[doctest\] assertions:' || true)
failed=$(echo "$summary" | sed -n 's/.*| *\([0-9]*\) failed.*/\1/p')
total=$(echo "$summary" | sed -n 's/.*assertions: *\([0-9]*\).*/\1/p')
echo
if [[ $status -eq 0 ]]; then
    echo "Done: exercise $number passes all its $total checks."
elif [[ -n $failed ]]; then
    echo "Not done yet: $failed of $total checks failed (each is explained above)."
    echo "Stuck? make hint EX=$number   (LEVEL=2 and LEVEL=3 say more)"
else
    echo "Not done yet: the tests stopped abnormally (status $status), see above."
fi
exit "$status"
