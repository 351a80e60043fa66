#!/usr/bin/env bash
# learner-path.sh [NN]: walks a learner's path through one exercise (01 by
# default: its build is the smallest) with the learner's own commands,
# `make exercise EX=NN` and `make progress`, and checks what each prints
# and returns. It works on a scratch copy of this checkout (the files git
# knows, as they are now), so a learner's own exercises/*/exercise.cpp and
# the build directories here are never touched. In order:
#   1. the first `make exercise` makes the learner's file from the stub:
#      not done, status 1; progress says "not done (tests fail ...)"
#   2. a known-wrong answer (the exercise's first wrong/*.cpp): the same
#   3. the reference solution: "Done", status 0; progress says "done"
#   4. the solution with its last ';' removed (issue 17: this once ran the
#      program of step 3 again and said "Done"): "Your file does not compile
#      yet", the compiler's first error with the file's relative path,
#      no test run, status 1; progress says "not done (does not compile ...)"
#   5. the solution again: "Done" (a real rebuild, not a leftover)
#   6. make hint in Chinese (LANG=zh_CN.UTF-8 or HINT_LANG=zh) prints
#      hints/N.zh_CN.md, in English otherwise or when there is none
# Prints one line per check; exits 1 if any failed.
set -uo pipefail
number=${1:-01}
root=$(cd "$(dirname "$0")/../.." && pwd)
home=$(ls -d "$root"/exercises/"$number"-* | head -n 1)
slug=$(basename "$home")
wrong=$(ls "$home"/wrong/*.cpp | head -n 1)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/metalio-learner.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# The checkout's files as they are (committed or not), without build/.
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
    grep -z -v -E '^(build/|exercises/[^/]+/exercise\.cpp$)' |
    xargs -0 tar -cf - --ignore-failed-read 2>/dev/null) | tar -xf - -C "$scratch"
mine=$scratch/exercises/$slug/exercise.cpp

failures=0
output=
status=0
learner() {  # learner COMMAND...: run a make command in the scratch copy
    output=$(cd "$scratch" && make --no-print-directory "$@" 2>&1)
    status=$?
}
check() {  # check DESCRIPTION CONDITION...
    local what=$1
    shift
    if "$@"; then
        echo "  ok: $what"
    else
        echo "  FAILED: $what"
        failures=$((failures + 1))
        echo "$output" | sed 's/^/      | /'
    fi
}
says() { grep -q -F -- "$1" <<<"$output"; }
not_says() { ! says "$1"; }
status_is() { [[ $status == "$1" ]]; }
status_is_not() { [[ $status != "$1" ]]; }
progress_says() {  # the exercise's line of `make progress` contains $1
    grep -E "^ +$slug " <<<"$output" | grep -q -F -- "$1"
}

echo "learner path on exercise $slug (scratch copy: $scratch)"

learner exercise EX="$number"
check "the first make exercise makes the file from the stub" says "Created exercises/$slug/exercise.cpp from the stub"
check "the stub: not done, with the count of failed checks" says "Not done yet:"
check "the stub: make exercise fails" status_is_not 0
learner progress
check "the stub: make progress says not done (tests fail)" progress_says "not done      (tests fail"
check "make progress itself succeeds" status_is 0

cp "$wrong" "$mine"
learner exercise EX="$number"
check "a wrong answer ($(basename "$wrong")): not done" says "Not done yet:"
check "a wrong answer: make exercise fails" status_is_not 0
learner progress
check "a wrong answer: make progress says not done" progress_says "not done      (tests fail"

cp "$home/solution.cpp" "$mine"
learner exercise EX="$number"
check "the solution: done" says "Done: exercise $number passes all its"
check "the solution: make exercise succeeds" status_is 0
learner progress
check "the solution: make progress says done" progress_says "done"
check "the solution: make progress counts it" says "1 of "

# The solution with its last ';' removed.
line=$(grep -n ';' "$home/solution.cpp" | tail -n 1 | cut -d: -f1)
sed "${line}s/\(.*\);/\1/" "$home/solution.cpp" >"$mine"
learner exercise EX="$number"
check "a file that does not compile: says so" says "Your file does not compile yet"
check "a file that does not compile: shows the compiler's error in the learner's file" \
    grep -q -E "^ +exercises/$slug/exercise\.cpp:[0-9]+:[0-9]+: (fatal )?error:" <<<"$output"
check "a file that does not compile: no absolute path in the error" not_says "$scratch/"
check "a file that does not compile: no test run" not_says "== Testing"
check "a file that does not compile: never \"Done\"" not_says "Done:"
check "a file that does not compile: make exercise fails" status_is_not 0
learner progress
check "a file that does not compile: make progress says not done (does not compile)" \
    progress_says "not done      (does not compile"
check "a file that does not compile: make progress counts it as not done" says "0 of "

cp "$home/solution.cpp" "$mine"
learner exercise EX="$number"
check "fixed again: done" says "Done: exercise $number passes all its"
check "fixed again: make exercise succeeds" status_is 0

# make hint in the reader's language: a Chinese hint, hints/N.zh_CN.md, is
# made here in the scratch copy (so the check does not depend on which
# hints are translated yet), hint 2 has none.
hints=$scratch/exercises/$slug/hints
printf '中文提示，由 learner-path.sh 写入\n' >"$hints/1.zh_CN.md"
rm -f "$hints/2.zh_CN.md"
LANGUAGE= LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8 learner hint EX="$number"
check "make hint with LANG=zh_CN.UTF-8: the Chinese hint" says "中文提示，由 learner-path.sh 写入"
LANGUAGE= LC_ALL= LC_MESSAGES= LANG=C learner hint EX="$number" HINT_LANG=zh
check "make hint HINT_LANG=zh: the Chinese hint" says "中文提示，由 learner-path.sh 写入"
LANGUAGE= LC_ALL= LC_MESSAGES= LANG=C.UTF-8 learner hint EX="$number"
check "make hint with LANG=C.UTF-8: the English hint" not_says "中文提示"
LANGUAGE= LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8 learner hint EX="$number" LEVEL=2
check "make hint, Chinese locale, an untranslated hint: English, and one line saying so" \
    says "no Chinese translation of this hint yet"
check "make hint, an untranslated hint: the English text" says "== Hint 2 for $slug"

if ((failures > 0)); then
    echo "learner path: $failures checks failed"
    exit 1
fi
echo "learner path: every check passed"
