/// @file
/// The socket plumbing TcpListener and TcpStream share on Windows (mio's
/// sys/windows/net.rs; the Windows sibling of sys/unix/net.hpp).
#pragma once

#include <optional>
#include <system_error>

#include "metalio/io.hpp"
#include "metalio/net/socket_addr.hpp"
#include "metalio/sys/socket.hpp"

namespace metalio::sys::net {

// [new-socket]
/// Creates a winsock socket of @p type for @p domain that is not inherited
/// by child processes (`WSA_FLAG_NO_HANDLE_INHERIT`, the Windows
/// close-on-exec) and non-blocking (`FIONBIO`; Windows has no flag to make
/// it so at creation). Starts winsock first if needed. Introduced in
/// chapter 04 (net).
io::Result<OwnedSocket> new_socket(int domain, int type) noexcept;

/// new_socket() for the family of @p addr. Introduced in chapter 04 (net).
io::Result<OwnedSocket> new_ip_socket(const metalio::net::SocketAddr& addr, int type) noexcept;
// [new-socket]

/// Turns non-blocking mode on (`FIONBIO`). Introduced in chapter 04 (net).
io::Result<void> set_non_blocking(SOCKET socket) noexcept;

/// setsockopt() of one `int`. Introduced in chapter 04 (net).
io::Result<void> set_int_option(SOCKET socket, int level, int name, int value) noexcept;
/// getsockopt() of one `int`. Introduced in chapter 04 (net).
io::Result<int> int_option(SOCKET socket, int level, int name) noexcept;

/// Reads and clears the socket's pending error (`SO_ERROR`): nullopt when
/// there is none. Introduced in chapter 04 (net).
io::Result<std::optional<std::error_code>> take_error(SOCKET socket) noexcept;

/// The address the socket is bound to (getsockname). Introduced in chapter 04 (net).
io::Result<metalio::net::SocketAddr> local_addr(SOCKET socket) noexcept;
/// The address of the connected peer (getpeername); `WSAENOTCONN` while a
/// non-blocking connect is still in progress. Introduced in chapter 04 (net).
io::Result<metalio::net::SocketAddr> peer_addr(SOCKET socket) noexcept;

}  // namespace metalio::sys::net
