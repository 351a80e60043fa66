# Shared by exercise.sh, hint.sh and progress.sh.
source "$(dirname "${BASH_SOURCE[0]}")/quiet-build.sh"

# two_digits N: 6 -> 06 (make exercise EX=6 means exercise 06); anything
# else unchanged, for the checks that follow to judge.
two_digits() {
    if [[ $1 =~ ^[0-9]$ ]]; then echo "0$1"; else echo "$1"; fi
}

# exercise_home NN -> exercises/NN-slug, or a clear message.
exercise_home() {
    local number=$1 target=${2:-exercise} numbers home
    numbers=$(ls exercises | cut -c1-2 | tr '\n' ' ')
    if [[ ! $number =~ ^[0-9][0-9]$ ]]; then
        echo "make $target needs an exercise number: type make $target EX=NN, with NN one of ${numbers% }." >&2
        exit 2
    fi
    home=$(ls -d exercises/"$number"-* 2>/dev/null | head -n1 || true)
    if [[ -z $home ]]; then
        echo "There is no exercise $number: type make $target EX=NN, with NN one of ${numbers% }." >&2
        exit 2
    fi
    echo "$home"
}

# mine_binary NN: where build_mine puts the learner's test program.
mine_binary() {
    echo "build/epoll/tests/exercise${1}_mine"
}

# mine_generator: -G Ninja for a new build/epoll, as build.sh makes it.
mine_generator() {
    [[ ! -f build/epoll/CMakeCache.txt ]] && command -v ninja >/dev/null && echo "-G Ninja"
}

# build_mine NN: builds the learner's file, exercises/NN-slug/exercise.cpp,
# with the exercise's tests as exerciseNN_mine in build/epoll (configuring
# build/epoll first when it does not know that target yet: a new build, or
# a file made since the last configure). Quiet but alive (quiet-build.sh).
# Returns 0 when it compiled. Otherwise says "Your file does not compile
# yet" with the compiler's first error, removes the program of an earlier
# build so that no stale program can be run in its place, and returns 1
# (MINE_QUIET=1: only returns 1).
build_mine() {
    local number=$1 log=build/epoll/exercise${1}_mine.log
    mkdir -p build/epoll
    : >"$log"
    if [[ ! -d build/epoll/tests/CMakeFiles/exercise${number}_mine.dir ]] &&
       ! cmake -S . -B build/epoll $(mine_generator) -DCMAKE_BUILD_TYPE=Debug -DMETALIO_BUILD_TESTS=ON \
               -DMETALIO_FAULT_INJECTION=ON >>"$log" 2>&1; then
        cat "$log"
        echo "Configuring build/epoll failed (above); the exercise was not built."
        return 1
    fi
    if quiet_build "$log" cmake --build build/epoll -j"${JOBS:-2}" --target "exercise${number}_mine"; then
        return 0
    fi
    rm -f "$(mine_binary "$number")"
    [[ ${MINE_QUIET:-0} == 1 ]] && return 1
    echo "Your file does not compile yet. The compiler's first error:"
    echo
    first_error "$log" | sed 's/^/    /'
    echo
    echo "(Everything the compiler said: $log)"
    return 1
}

# first_error LOG: the compiler's first error in LOG, with the lines that
# belong to it (the source line, the caret, the notes), paths made relative.
# Linker errors count too. Without any, the last lines of LOG.
first_error() {
    local log=$1 root
    root=$(pwd)/
    if grep -q -E ': (fatal )?error:|undefined reference' "$log"; then
        awk '
            !found && /: (fatal )?error:|undefined reference/ { found = 1; print; n = 1; next }
            found {
                # The next diagnostic of its own (a new file:line: ... error,
                # warning, or "In function") ends the first error; its notes
                # and source lines (indented, or "file:line: note:") stay.
                if (/^[^ ].*: (error|warning):/ || /: In (member )?function/ || /^(gmake|make)(\[[0-9]+\])?:/ || /^(collect2|ninja):/ || /^FAILED:/) exit
                if (++n > 12) exit
                print
            }' "$log"
    else
        grep -v -E '^(\[ *[0-9]+%\]|\[[0-9]+/[0-9]+\]|gmake|make\[)' "$log" | tail -n 15
    fi | sed "s#$root##g"
}
