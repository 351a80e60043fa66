# Shared by exercise.sh, hint.sh and progress.sh.

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

# build_mine NN: (re)configure so the learner's file is known, build it.
# Returns the compiler's status; its output goes to stdout.
build_mine() {
    local number=$1
    cmake -S . -B build/epoll -DCMAKE_BUILD_TYPE=Debug -DMETALIO_BUILD_TESTS=ON -DMETALIO_FAULT_INJECTION=ON >/dev/null
    cmake --build build/epoll -j"${JOBS:-2}" --target "exercise${number}_mine" 2>&1 |
        grep -v -E '^(\[|gmake|make\[|Consolidate|Scanning|Built target|Building|Linking)' || true
    return "${PIPESTATUS[0]}"
}
