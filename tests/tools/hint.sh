#!/usr/bin/env bash
# hint.sh NN LEVEL: prints one hint of exercise NN, in Chinese
# (hints/LEVEL.zh_CN.md) when the reader asks for it, HINT_LANG=zh, or when
# HINT_LANG is not given and the locale is Chinese (the first of LANGUAGE,
# LC_ALL, LC_MESSAGES, LANG that is set starts with zh); otherwise, or when
# that hint has no translation yet (then one line says so), in English.
set -euo pipefail
source "$(dirname "$0")/exercise-lib.sh"
set -- "$(two_digits "${1:-}")" "${2:-1}"
home=$(exercise_home "$1" hint)
level=${2:-1}
count=$(ls "$home"/hints | grep -cE '^[0-9]+\.md$')
file=$home/hints/$level.md
if [[ ! $level =~ ^[0-9]+$ || ! -f $file ]]; then
    echo "Exercise ${home#exercises/} has hints 1 to $count, not '$level': type make hint EX=$1 LEVEL=N with N from 1 to $count." >&2
    exit 2
fi
locale=${HINT_LANG:-${LANGUAGE:-${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}}}
chinese=no
[[ $locale == zh* ]] && chinese=yes
if [[ $chinese == yes && -f $home/hints/$level.zh_CN.md ]]; then
    echo "== ${home#exercises/} 的第 $level 条提示"
    file=$home/hints/$level.zh_CN.md
    more="（更多提示：make hint EX=${1} LEVEL=$((level + 1))）"
else
    echo "== Hint $level for ${home#exercises/}"
    [[ $chinese == yes ]] && echo "(这条提示还没有中文译文 / no Chinese translation of this hint yet: the English one follows)"
    more="(More: make hint EX=${1} LEVEL=$((level + 1)))"
fi
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
    echo "$more"
fi
