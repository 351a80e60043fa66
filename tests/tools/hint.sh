#!/usr/bin/env bash
# hint.sh NN LEVEL: prints one hint of exercise NN.
set -euo pipefail
source "$(dirname "$0")/exercise-lib.sh"
set -- "$(two_digits "${1:-}")" "${2:-1}"
home=$(exercise_home "$1" hint)
level=${2:-1}
count=$(ls "$home"/hints | wc -l)
file=$home/hints/$level.md
if [[ ! $level =~ ^[0-9]+$ || ! -f $file ]]; then
    echo "Exercise ${home#exercises/} has hints 1 to $count, not '$level': type make hint EX=$1 LEVEL=N with N from 1 to $count." >&2
    exit 2
fi
echo "== Hint $level for ${home#exercises/}"
cat "$file"
# A hint that says `man 2 poll` must work here: make's deps install the man
# pages (manpages-dev, man-db), but some images strip /usr/share/man. Then
# say where the same page is online.
for page in $(grep -oE 'man [0-9] [a-z_0-9]+' "$file" | sort -u | tr ' ' ':'); do
    IFS=: read -r _ section name <<<"$page"
    if ! man -w "$section" "$name" >/dev/null 2>&1; then
        echo "(man $section $name is not installed here; the same page: https://man7.org/linux/man-pages/man$section/$name.$section.html)"
    fi
done
if [[ -f $home/hints/$((level + 1)).md ]]; then
    echo
    echo "(More: make hint EX=${1} LEVEL=$((level + 1)))"
fi
