#!/usr/bin/env bash
# fuzz.sh: build the libFuzzer target with clang-19 and run it for a while.
#
#   FUZZ_SECONDS=60   how long to fuzz, per selector
#   SELECTOR=both     epoll, poll or both
#   JOBS=2            build parallelism
#
# Builds build/fuzz-<selector>/ (clang++-19; the library with
# -fsanitize=fuzzer-no-link,address,undefined, the target with
# -fsanitize=fuzzer), seeds libFuzzer with the checked-in corpus
# tests/conformance/fuzz/corpus/ (read only) and keeps what it finds in the
# scratch corpus build/fuzz-<selector>/corpus/. A crash leaves its input in
# build/fuzz-<selector>/crashes/; the summary prints the path and the command
# that replays it. Exits non-zero if any run crashed.
set -uo pipefail
cd "$(dirname "$0")/../.."
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
SELECTOR=${SELECTOR:-both}
JOBS=${JOBS:-2}
CXX_FUZZ=${CXX_FUZZ:-clang++-19}

case $SELECTOR in
    both) selectors=(epoll poll) ;;
    epoll | poll) selectors=("$SELECTOR") ;;
    *) echo "SELECTOR must be epoll, poll or both, not '$SELECTOR': type make fuzz SELECTOR=poll." >&2; exit 2 ;;
esac
if [[ ! $FUZZ_SECONDS =~ ^[1-9][0-9]*$ ]]; then
    echo "FUZZ_SECONDS must be a positive number of seconds, not '$FUZZ_SECONDS': type make fuzz FUZZ_SECONDS=60." >&2
    exit 2
fi

# clang-19 and its runtime libraries (libFuzzer, the sanitizers).
tests/tools/deps.sh clang-19 libclang-rt-19-dev || exit 1

summary=()
crashed=0
for selector in "${selectors[@]}"; do
    dir=build/fuzz-$selector
    echo "======== fuzz: $selector selector, ${FUZZ_SECONDS}s"
    options=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$CXX_FUZZ" -DCMAKE_CXX_FLAGS=-O1
             -DMETALIO_SANITIZE=fuzzer-no-link,address,undefined -DMETALIO_FUZZER=ON
             -DMETALIO_BUILD_TESTS=ON -DMETALIO_FAULT_INJECTION=ON -DMETALIO_BUILD_EXERCISES=OFF
             -DMETALIO_SELECTOR="$selector")
    if ! cmake -S . -B "$dir" "${options[@]}" >"$dir.configure.log" 2>&1; then
        cat "$dir.configure.log"
        exit 1
    fi
    cmake --build "$dir" -j"$JOBS" --target fuzz_metalio fuzz_replay || exit 1
    mkdir -p "$dir/corpus" "$dir/crashes"
    log=$dir/fuzz.log
    # The first corpus directory receives new inputs; the checked-in one only seeds.
    "$dir/tests/conformance/fuzz/fuzz_metalio" -max_total_time="$FUZZ_SECONDS" -max_len=512 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$dir/crashes/" \
        "$dir/corpus" tests/conformance/fuzz/corpus >"$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corpus=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    if [[ $status -ne 0 || -n $artifact ]]; then
        crashed=1
        echo "--- last lines of $log:"
        tail -60 "$log"
        line="$selector: executions=${execs:-?} coverage=${cov:-?} features=${ft:-?} corpus=${corpus:-?} crashes=1"
        line+=$'\n'"  reproducer: ${artifact:-none written, see $log}"
        [[ -n $artifact ]] && line+=$'\n'"  replay it:  $dir/tests/conformance/fuzz/fuzz_replay $artifact"
    else
        line="$selector: executions=${execs:-?} coverage=${cov:-?} features=${ft:-?} corpus=${corpus:-?} crashes=0"
    fi
    summary+=("$line")
done

echo
echo "======== fuzz summary (${FUZZ_SECONDS}s per selector; full logs in build/fuzz-*/fuzz.log)"
for line in "${summary[@]}"; do echo "$line"; done
exit $crashed
