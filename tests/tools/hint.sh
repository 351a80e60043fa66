#!/usr/bin/env bash
# hint.sh NN LEVEL: prints one hint of exercise NN.
set -euo pipefail
source "$(dirname "$0")/exercise-lib.sh"
home=$(exercise_home "${1:-}" hint)
level=${2:-1}
count=$(ls "$home"/hints | wc -l)
file=$home/hints/$level.md
if [[ ! $level =~ ^[0-9]+$ || ! -f $file ]]; then
    echo "Exercise ${home#exercises/} has hints 1 to $count, not '$level': type make hint EX=$1 LEVEL=N with N from 1 to $count." >&2
    exit 2
fi
echo "== Hint $level for ${home#exercises/}"
cat "$file"
if [[ -f $home/hints/$((level + 1)).md ]]; then
    echo
    echo "(More: make hint EX=${1} LEVEL=$((level + 1)))"
fi
