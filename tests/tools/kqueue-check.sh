#!/usr/bin/env bash
# kqueue-check.sh: the kqueue selector compiled on a machine without kqueue.
#
# Every library source of the kqueue build (the kqueue selector, the kqueue
# Waker, and everything that includes the selector) is compiled with
# -fsyntax-only against tests/kqueue-decls/sys/event.h, a declarations-only
# header written from FreeBSD's kevent(2) manual page. Nothing is linked or
# run: this only proves the code still compiles, with the project's warnings
# as errors, in both Waker variants (EVFILT_USER, and the pipe that systems
# without user events get). Running it needs a kqueue: libkqueue here
# (test.sh), FreeBSD and macOS in .github/workflows/selectors.yml.
set -euo pipefail
cd "$(dirname "$0")/../.."
compiler=${CXX:-c++}
includes=(-Itests/kqueue-decls)
for dir in code/*/include; do includes+=("-I$dir"); done
sources=()
while IFS= read -r file; do sources+=("$file"); done < <(
    find code/*/src -name '*.cpp' ! -name epoll.cpp ! -name poll.cpp ! -path '*/sys/windows/*' \
        ! -path 'code/10-uring/*' | sort)  # stage 10 is io_uring: Linux only, no kqueue build has it
# The switches cmake/MetalioStage.cmake gives every translation unit.
defines=(-DMETALIO_SELECTOR_EPOLL=0 -DMETALIO_SELECTOR_POLL=0 -DMETALIO_SELECTOR_KQUEUE=1
         -DMETALIO_SELECTOR_IOCP=0 -DMETALIO_FAULT_INJECTION=1)
# The portable Unix switches (cmake/MetalioPortable.cmake decides them by
# asking the compiler): the user-event pass takes every one-call form, as a
# FreeBSD has them; the pipe-Waker pass takes every fallback that Linux's
# headers can compile (pipe + fcntl, accept + fcntl, SIGPIPE blocked around
# a send, a pipe for the wake fd), as on macOS.
one_call=(-DMETALIO_HAVE_PIPE2=1 -DMETALIO_HAVE_ACCEPT4=1 -DMETALIO_HAVE_SOCK_FLAGS=1 -DMETALIO_HAVE_MSG_NOSIGNAL=1
          -DMETALIO_HAVE_SO_NOSIGPIPE=0 -DMETALIO_HAVE_F_SETNOSIGPIPE=0 -DMETALIO_HAVE_EVENTFD=1
          -DMETALIO_HAVE_GETPEEREID=0 -DMETALIO_HAVE_SO_PEERCRED=1)
fallback=(-DMETALIO_HAVE_PIPE2=0 -DMETALIO_HAVE_ACCEPT4=0 -DMETALIO_HAVE_SOCK_FLAGS=0 -DMETALIO_HAVE_MSG_NOSIGNAL=0
          -DMETALIO_HAVE_SO_NOSIGPIPE=0 -DMETALIO_HAVE_F_SETNOSIGPIPE=0 -DMETALIO_HAVE_EVENTFD=0
          -DMETALIO_HAVE_GETPEEREID=0 -DMETALIO_HAVE_SO_PEERCRED=1)
# JOBS compilers at a time (the sources are independent); a failure is
# reported by the compiler and named on its own line.
failed=0
running=0
check() {  # check <waker> <source> <switches...>
    local waker=$1 source=$2
    shift 2
    "$compiler" -std=c++23 -fsyntax-only -Wall -Wextra -Werror "${defines[@]}" "$@" "${includes[@]}" "$source" ||
        { echo "kqueue compile check FAILED: $source (Waker: $waker)"; return 1; }
}
for waker in user pipe; do
    extra=("${one_call[@]}")
    [[ $waker == pipe ]] && extra=(-DMETALIO_WAKER_PIPE=1 "${fallback[@]}")
    for source in "${sources[@]}"; do
        if ((running >= ${JOBS:-2})); then
            wait -n || failed=1
            running=$((running - 1))
        fi
        check "$waker" "$source" "${extra[@]}" &
        running=$((running + 1))
    done
done
while ((running > 0)); do
    wait -n || failed=1
    running=$((running - 1))
done
[[ $failed -eq 0 ]] && echo "kqueue compile check: ${#sources[@]} sources, user-event Waker with the one-call forms and pipe Waker with the portable fallbacks, no error"
exit $failed
