// Exercise 07 — a Waker made of a pipe.
//
// The Waker of this chapter is an eventfd, which only Linux has. The other
// Unix way (mio's, on systems without eventfd or EVFILT_USER) is a pipe:
// wake() writes a byte to the write end; the read end is registered
// READABLE, so the byte is an event with the waker's token. Write it:
//
//  - create(): a pipe, both ends non-blocking and close-on-exec; the read
//    end registered with `registry` for READABLE under `token` (a raw fd is
//    registered through posix::SourceFd); keep a clone of the registry
//    (try_clone) for reset() and the destructor. Any failure: its error,
//    and no fd left open or registered.
//
//  - wake(): from any thread, write one byte. A pipe holds 64 KiB; a full
//    pipe (WouldBlock) means a wake-up is pending already, nobody has
//    polled yet: that is success, not an error. Any other error is returned.
//
//  - reset(): called by the polling thread after it saw the token. Empty the
//    pipe (read until WouldBlock; a read interrupted by a signal is tried
//    again), then make sure the *next* wake is reported: chapter 02 says
//    what the poll(2) selector needs after a raw fd was drained.
//
//  - ~PipeWaker(): a moved-from PipeWaker owns nothing (reader_ holds -1).
//    Otherwise deregister the read end before its fd is closed: the poll(2)
//    selector keeps a table of fds, which close() does not empty.
//
// Every system call through METALIO_SYSCALL. Unlike the library's Waker,
// this one does not claim the Poll's waker slot.
#pragma once

#include "metalio/io.hpp"
#include "metalio/registry.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/token.hpp"

namespace metalio::exercise {

class PipeWaker {
public:
    static io::Result<PipeWaker> create(const Registry& registry, Token token);

    io::Result<void> wake() const;

    io::Result<void> reset() const;

    ~PipeWaker();
    PipeWaker(PipeWaker&&) noexcept = default;
    PipeWaker& operator=(PipeWaker&&) = delete;

    /// The read end, for the tests.
    [[nodiscard]] int as_raw_fd() const noexcept { return reader_.get(); }

private:
    PipeWaker(Registry registry, Token token, sys::OwnedFd reader, sys::OwnedFd writer) noexcept
        : registry_(std::move(registry)), token_(token), reader_(std::move(reader)), writer_(std::move(writer)) {}

    Registry registry_;    // a clone: reaches the selector in reset() and ~PipeWaker()
    Token token_;
    sys::OwnedFd reader_;  // registered READABLE under token_
    sys::OwnedFd writer_;  // wake() writes here
};

}  // namespace metalio::exercise
