// What differs between the selectors, named, so that a test which must
// differ says why. Every name is a fact of the kernel interface (or of
// libkqueue, the kqueue used on Linux), explained in chapter 02 or 07.
#pragma once

#include "metalio/sys/selector.hpp"

namespace metalio::test {

// The system call a selector's register_ makes, for fault injection: the
// poll(2) selector checks the fd with fcntl, epoll calls epoll_ctl, kqueue
// applies its changes with kevent.
constexpr const char* kRegisterSyscall = METALIO_SELECTOR_POLL     ? "fcntl"
                                         : METALIO_SELECTOR_KQUEUE ? "kevent"
                                                                   : "epoll_ctl";

// kqueue keeps filters, not "registered fds": EV_ADD on a filter that is
// there already updates it, so a second register of a raw fd succeeds and
// replaces the token (as in mio). metalio's own types still refuse it, with
// their SelectorId (chapter 03).
constexpr bool kSelectorRefusesSecondRegister = !METALIO_SELECTOR_KQUEUE;

// For the same reason a reregister of a raw fd that was never registered
// registers it on kqueue. (deregister of one still says not_registered:
// deleting both filters reports ENOENT twice.)
constexpr bool kSelectorRefusesReregisterOfUnknownFd = !METALIO_SELECTOR_KQUEUE;

// The kqueue build on Linux runs on libkqueue, a userspace kqueue over
// epoll. Where it differs from a BSD kernel, a test names it with this.
#if METALIO_SELECTOR_KQUEUE && defined(__linux__)
constexpr bool kLibkqueue = true;
#else
constexpr bool kLibkqueue = false;
#endif

// libkqueue fills an event's fflags with the socket error by reading
// SO_ERROR, and on Linux reading SO_ERROR clears it: after such an event
// take_error() finds nothing. A BSD kernel copies the error without
// clearing it.
constexpr bool kEventConsumesSocketError = kLibkqueue;

// libkqueue looks a change's filter up before it looks at the fd, so a
// deregister (two EV_DELETEs) of a closed or negative fd number finds no
// filter (ENOENT twice: Errc::not_registered). A BSD kernel checks the fd
// first and says EBADF.
constexpr bool kDeleteOfBadFdSaysNotRegistered = kLibkqueue;

// libkqueue cannot see close(): the filters of an fd closed while
// registered stay in its tables under that number until a change meets
// them (the selector then deletes them and adds again; chapter 02).
constexpr bool kFiltersOutliveClose = kLibkqueue;

// A reregister (EV_ADD on a filter that is there) re-evaluates the filter
// on a BSD kernel, as EPOLL_CTL_MOD does on epoll: data already waiting is
// reported again. libkqueue leaves the epoll registration as it was when
// the interests did not change, so nothing new is reported.
constexpr bool kReregisterReportsWaitingData = !kLibkqueue;

// When the peer of a stream socket closes, libkqueue wakes the write
// filter again (a separate writable event with EV_EOF, beside the readable
// one with EV_EOF), because it maps both filters onto one epoll
// registration that reports EPOLLHUP to each. A small C program on
// libkqueue alone shows it (chapter 02, kqueue page). A BSD kernel wakes
// only the read filter, as reported when this was found; that half is not
// checked from here (no BSD kernel). So on libkqueue a test must not count
// a writable event after a peer's close as a new, spurious edge.
constexpr bool kPeerCloseWakesWriteFilter = kLibkqueue;

// The Waker has an fd of its own (eventfd, or a pipe's read end), except on
// kqueue with user events (EVFILT_USER), where it lives in the kqueue.
#if METALIO_SELECTOR_KQUEUE
constexpr bool kWakerHasFd = !METALIO_KQUEUE_USER_WAKER;
#else
constexpr bool kWakerHasFd = true;
#endif

// That fd is an eventfd (a counter, which overflows at 0xfffffffffffffffe)
// where the system has eventfd and the selector is not kqueue; otherwise a
// pipe (which fills up at 64 KiB): macOS, the BSDs, and every build with
// -DMETALIO_PORTABLE_UNIX=ON (cmake/MetalioPortable.cmake).
#define METALIO_TEST_WAKER_IS_EVENTFD (!METALIO_SELECTOR_KQUEUE && METALIO_HAVE_EVENTFD)
constexpr bool kWakerIsEventfd = METALIO_TEST_WAKER_IS_EVENTFD;

}  // namespace metalio::test
