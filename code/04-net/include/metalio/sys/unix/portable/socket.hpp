/// @file
/// Sockets that are non-blocking and close-on-exec, and that never raise
/// SIGPIPE, on every Unix (the socket calls of sys/unix/portable/).
#pragma once

#include <sys/socket.h>
#include <sys/types.h>

#include "metalio/io.hpp"
#include "metalio/sys/owned_fd.hpp"

namespace metalio::sys::portable {

// [socket]
/// A socket of @p type for @p domain, non-blocking and close-on-exec.
///
/// Linux and FreeBSD take both flags in socket(2) itself (`SOCK_NONBLOCK |
/// SOCK_CLOEXEC`). macOS has neither flag: there it is socket(2) and then
/// fcntl(2), and, since macOS has no `MSG_NOSIGNAL` either, `SO_NOSIGPIPE`
/// on the socket, so that a write to a vanished peer is `EPIPE` and not a
/// signal that ends the process (mio's `net.rs` does the same three).
/// Introduced in chapter 04 (net).
io::Result<OwnedFd> socket(int domain, int type) noexcept;

/// accept(2) of one connection of listening socket @p fd, set up as
/// socket() sets up a new socket: accept4(2) with both flags where it
/// exists, accept(2) and fcntl(2) (and `SO_NOSIGPIPE`) where not. The new
/// fd, owned. Introduced in chapter 04 (net).
io::Result<OwnedFd> accept(int fd, sockaddr* addr, socklen_t* length) noexcept;
// [socket]

/// The system call accept() makes ("accept4" or "accept"), for tests that
/// make it fail. Introduced in chapter 04 (net).
const char* accept_call() noexcept;

/// After a socket is made without the flags: both flags, and `SO_NOSIGPIPE`
/// where sends cannot say `MSG_NOSIGNAL`. Closes nothing: the caller owns
/// @p fd. Introduced in chapter 04 (net).
io::Result<void> set_socket_flags(int fd) noexcept;

}  // namespace metalio::sys::portable
