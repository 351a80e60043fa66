/// @file
/// The fd that wakes a blocked selector: an eventfd where the system has
/// one, a pipe where it does not (the second call that differs between
/// Unixes; the first is sys/unix/portable/pipe.hpp, chapter 01).
#pragma once

#include "metalio/io.hpp"
#include "metalio/sys/owned_fd.hpp"

namespace metalio::sys::portable {

// [wake-fd]
/// An fd that becomes readable when written to, and the end to write to.
///
/// Linux's eventfd(2) is one fd holding a counter: the write end and the
/// read end are the same. Where there is no eventfd (macOS, most BSDs) it
/// is a pipe, as in mio's `sys/unix/waker/pipe.rs`: two fds, and a write of
/// the same eight bytes makes the read end readable. The poll(2) selector
/// (chapter 02) and the Waker (chapter 07) use it the same way on both.
/// Introduced in chapter 02 (selector).
struct WakeFd {
    OwnedFd reader{-1};  ///< Registered READABLE; the eventfd itself.
    OwnedFd writer{-1};  ///< The pipe's write end; -1 for an eventfd.

    /// Where a wake writes: the pipe's write end, or the eventfd.
    [[nodiscard]] int write_end() const noexcept { return writer.get() >= 0 ? writer.get() : reader.get(); }
};
// [wake-fd]

/// An eventfd (`EFD_CLOEXEC | EFD_NONBLOCK`) or, without one, a pipe
/// (non-blocking, close-on-exec). Introduced in chapter 02 (selector).
io::Result<WakeFd> make_wake_fd() noexcept;
/// Always a pipe: the kqueue Waker where there is no `EVFILT_USER`.
/// Introduced in chapter 02 (selector).
io::Result<WakeFd> make_wake_pipe() noexcept;
/// The system call make_wake_fd() makes first ("eventfd", "pipe2" or
/// "pipe"), for tests that make it fail. Introduced in chapter 02 (selector).
const char* wake_fd_call() noexcept;

/// Makes @p reader readable by a write to @p write_end, through
/// METALIO_SYSCALL(write): a write interrupted by a signal is made again,
/// and a full one (an eventfd counter at its maximum, a pipe with 64 KiB
/// nobody read) empties @p reader and writes again. Introduced in chapter 02 (selector).
io::Result<void> wake(int write_end, int reader) noexcept;
/// A plain write(2) to @p write_end whose errors are ignored (EAGAIN means
/// "already readable"): the selector's own wake-up, which fault injection
/// aimed at a user's write() must not hit. Introduced in chapter 02 (selector).
void notify(int write_end) noexcept;
/// Empties @p reader (plain read(2), errors ignored): one read for an
/// eventfd, and for a pipe as many as it takes. Introduced in chapter 02 (selector).
void drain(int reader) noexcept;

}  // namespace metalio::sys::portable
