/// @file
/// The socket plumbing TcpListener and TcpStream share (mio's sys/unix/net.rs).
#pragma once

#include <optional>
#include <system_error>

#include "metalio/io.hpp"
#include "metalio/net/socket_addr.hpp"
#include "metalio/sys/owned_fd.hpp"

namespace metalio::sys::net {

// [new-socket]
/// Creates a socket of @p type (e.g. `SOCK_STREAM`) for @p domain that is
/// non-blocking and close-on-exec from its first instant: both flags are
/// passed to socket() itself, so there is no window in which another thread
/// could fork+exec and inherit it. The OwnedFd closes it on every later
/// error path. Introduced in chapter 04 (net).
io::Result<OwnedFd> new_socket(int domain, int type) noexcept;

/// new_socket() for the family of @p addr (`AF_INET` or `AF_INET6`).
/// Introduced in chapter 04 (net).
io::Result<OwnedFd> new_ip_socket(const metalio::net::SocketAddr& addr, int type) noexcept;
// [new-socket]

/// setsockopt() of one `int`. Introduced in chapter 04 (net).
io::Result<void> set_int_option(int fd, int level, int name, int value) noexcept;
/// getsockopt() of one `int`. Introduced in chapter 04 (net).
io::Result<int> int_option(int fd, int level, int name) noexcept;

/// Reads and clears the socket's pending error (`SO_ERROR`): nullopt when
/// there is none. Introduced in chapter 04 (net).
io::Result<std::optional<std::error_code>> take_error(int fd) noexcept;

/// The address the socket is bound to (getsockname). Introduced in chapter 04 (net).
io::Result<metalio::net::SocketAddr> local_addr(int fd) noexcept;
/// The address of the connected peer (getpeername); `ENOTCONN` while a
/// non-blocking connect is still in progress. Introduced in chapter 04 (net).
io::Result<metalio::net::SocketAddr> peer_addr(int fd) noexcept;

}  // namespace metalio::sys::net
