#!/usr/bin/env bash
# test.sh: everything that must pass, in the order a failure is cheapest to read.
#   1. every stage on the epoll selector, plus the exercise honesty checks
#   1b. a learner's path: make exercise and make progress on a scratch copy,
#      with a stub, a wrong answer, the solution and a file that does not
#      compile (tests/tools/learner-path.sh)
#   2. every stage on epoll under AddressSanitizer + UndefinedBehaviorSanitizer
#   3. every stage on poll(2) with the portable Unix fallbacks forced
#      (-DMETALIO_PORTABLE_UNIX=ON: pipe + fcntl, accept + fcntl, a pipe
#      Waker, no MSG_NOSIGNAL, as on macOS and the BSDs), under ASan+UBSan
#   4. every stage on poll(2) with Linux's own calls under ThreadSanitizer
#      (the selector whose wake-up protocol is metalio's own; epoll's
#      cross-thread calls are the kernel's)
#   Four Linux builds, each combination once: every build costs minutes,
#   and a sanitizer build runs the same tests as a plain one, and more.
#   5. the behaviour suite once under valgrind memcheck (zero errors, zero leaks)
#   5b. kqueue: the kqueue selector compiled against a declarations-only
#      <sys/event.h>; then, if LIBKQUEUE_PREFIX is set (or a libkqueue is
#      found), every test on the kqueue selector, on libkqueue, with the
#      portable fallbacks of step 3 forced
#   5c. macOS: every library, example, test program and exercise solution
#      compiled and linked for x86_64-macos (kqueue), the library and the
#      examples compiled for aarch64-macos (poll(2)), with Zig 0.11 from npm
#      (tests/tools/macos-check.sh); nothing of it can run here
#   6. the installed library: cmake --install, then a project using
#      find_package(metalio) builds the echo server, which must greet a client
#   7. Windows: every stage and the behaviour suite cross-compiled with
#      mingw-w64 on the IOCP selector, run under Wine
#   7b. the benchmark harness once in smoke mode (bench/run.sh smoke: builds
#      the servers in Release, about 1 min of measuring with tiny counts), so
#      `make bench` cannot rot; its figures are not kept for the site
#   8. the site: Doxygen and Sphinx, warnings are errors; the Chinese
#      edition too, whose catalogs must be complete and in step with the
#      English text (tests/tools/i18n.py check)
#   9. the site in headless Chromium: console errors, failed requests, links,
#      anchors, search, the dark toggle, code widths; screenshots of every
#      page; in both editions, with the language switch between them
# Ends with one line "N passed, N failed" over all the steps.
set -uo pipefail
export JOBS=${JOBS:-2}
passed=0
failed=0
failures=()

step() {
    local name=$1
    shift
    echo
    echo "======== $name"
    # Each step's wall-clock seconds go beside its status (the testing page
    # shows them as a table): status, seconds, name, separated by tabs.
    local start=$SECONDS status=passed
    if "$@"; then
        passed=$((passed + 1))
    else
        status=FAILED
        failed=$((failed + 1))
        failures+=("$name")
    fi
    printf '%s\t%s\t%s\n' "$status" "$((SECONDS - start))" "$name" >>build/test-report/steps.txt
    echo "($name: $((SECONDS - start)) s)"
}

suite() {  # suite <build name> [cmake options...]
    local name=$1
    shift
    # The JUnit file and the full log feed the site's "How metalio is tested".
    # (CTest's LastTest.log is overwritten by any later partial ctest run, so
    # the full output of this run is kept beside junit.xml.)
    rm -f "build/$name/junit.xml" "build/$name/make-test.log"
    tests/tools/build.sh "$name" "$@" &&
        (cd "build/$name" && ctest -j"$JOBS" --output-on-failure --timeout 300 --output-junit junit.xml ${CTEST_EXTRA:-};
         status=$?; cp Testing/Temporary/LastTest.log make-test.log; exit $status)
}

mkdir -p build/test-report
rm -f build/test-report/steps.txt

valgrind_suite() {  # the epoll build's behaviour suite, under memcheck
    valgrind --quiet --error-exitcode=1 --leak-check=full \
        build/epoll/tests/conformance/behaviour/conformance_behaviour --no-colors=true 2>&1 |
        tee build/test-report/valgrind.log | tail -n 5
    return "${PIPESTATUS[0]}"
}

# The kqueue selector: compiled always; run where a kqueue exists. On Linux
# that is libkqueue, never shipped by the project: LIBKQUEUE_PREFIX says
# where one is installed (docs/developing.rst). Real BSD and macOS run in
# .github/workflows/selectors.yml.
kqueue_suite() {
    tests/tools/kqueue-check.sh || return 1
    local prefix=${LIBKQUEUE_PREFIX:-}
    if [[ -z $prefix && $(uname -s) == Linux ]]; then
        for guess in /usr/local /usr; do
            [[ -f $guess/include/kqueue/sys/event.h ]] && { prefix=$guess; break; }
        done
    fi
    if [[ -z $prefix && $(uname -s) == Linux ]]; then
        echo "kqueue run skipped: set LIBKQUEUE_PREFIX=... (see docs/developing.rst)"
        return 0
    fi
    if [[ -n $prefix ]]; then
        # libkqueue on Linux: with every portable fallback forced (pipe +
        # fcntl, accept + fcntl, no MSG_NOSIGNAL), as close to a Mac as
        # this machine gets.
        LIBKQUEUE_PREFIX=$prefix suite portable-kqueue -DMETALIO_BUILD_EXERCISES=OFF
    else
        suite kqueue -DMETALIO_BUILD_EXERCISES=OFF
    fi
}

# `test.sh kqueue` runs this step alone, `test.sh poll` the poll(2) build
# alone: .github/workflows/selectors.yml does both, on macOS and FreeBSD.
if [[ ${1:-} == poll ]]; then
    step "poll(2): stages" suite poll -DMETALIO_BUILD_EXERCISES=OFF
    echo "make test (poll(2) step): $passed passed, $failed failed"
    [[ $failed -eq 0 ]]
    exit
fi
if [[ ${1:-} == kqueue ]]; then
    step "kqueue: compile check, and every test on a kqueue" kqueue_suite
    echo "make test (kqueue step): $passed passed, $failed failed"
    [[ $failed -eq 0 ]]
    exit
fi

step "epoll: stages and exercises" suite epoll
step "exercises: a learner's path (make exercise, make progress)" tests/tools/learner-path.sh
step "epoll under ASan+UBSan" suite asan-epoll -DMETALIO_SANITIZE=address,undefined -DMETALIO_BUILD_EXERCISES=OFF
step "poll(2), portable Unix fallbacks forced, under ASan+UBSan" suite asan-portable-poll -DMETALIO_SANITIZE=address,undefined -DMETALIO_BUILD_EXERCISES=OFF
step "poll(2) under TSan" suite tsan-poll -DMETALIO_SANITIZE=thread -DMETALIO_BUILD_EXERCISES=OFF
step "behaviour suite under valgrind memcheck" valgrind_suite
step "kqueue: compile check, and every test on a kqueue" kqueue_suite
step "macOS: compiled with Zig (x86-64 kqueue: everything, linked; arm64 poll(2): library and examples)" tests/tools/macos-check.sh
step "installed library + find_package consumer" tests/install/check.sh
# Cross-compiled for Windows; ctest runs each test under Wine (through
# CMAKE_CROSSCOMPILING_EMULATOR, in the build's own Wine prefix). First
# tests/tools/wine-check.sh: it restarts the build's wine server and checks
# that the first program of a fresh server leaves no Wine service holding
# its output (which once made CTest wait for a finished test until its
# timeout, issue 10), so the ctest run also starts on a fresh server.
windows_suite() {
    tests/tools/build.sh windows "$@" && tests/tools/wine-check.sh build/windows &&
        suite windows "$@"
}
step "Windows (mingw-w64, under Wine)" windows_suite -DMETALIO_BUILD_EXERCISES=OFF
step "benchmark harness (smoke mode)" bench/run.sh smoke
# The report is written before the site is built, so the site shows this run.
step "site (Doxygen + Sphinx -W -n)" tests/tools/docs.sh
# The rendered site in headless Chromium; screenshots in build/browser/.
step "site in a browser (headless Chromium)" tests/tools/browser.sh

# The site was rendered before its own step and the browser step ended, so
# its testing page lacks their times: render it once more (not a step).
if [[ -f build/site/index.html ]]; then
    tests/tools/docs.sh >/dev/null 2>&1 || echo "(re-rendering the site with the last steps' times failed)"
fi

echo
for name in "${failures[@]}"; do echo "FAILED: $name"; done
echo "make test: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
