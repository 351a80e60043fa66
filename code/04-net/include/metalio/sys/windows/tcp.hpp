/// @file
/// The winsock calls behind net::TcpListener and net::TcpStream on Windows
/// (mio's sys/windows/tcp.rs; the Windows sibling of sys/unix/tcp.hpp, with
/// the same functions but set_reuseaddr, see TcpListener::bind).
#pragma once

#include <cstddef>
#include <span>
#include <utility>

#include "metalio/io.hpp"
#include "metalio/net/socket_addr.hpp"
#include "metalio/sys/socket.hpp"

namespace metalio::net {
enum class Shutdown;  // net/tcp_stream.hpp
}  // namespace metalio::net

namespace metalio::sys::tcp {

/// bind() to @p addr. Introduced in chapter 04 (net).
io::Result<void> bind(SOCKET socket, const metalio::net::SocketAddr& addr) noexcept;
/// listen() with a queue of @p backlog. Introduced in chapter 04 (net).
io::Result<void> listen(SOCKET socket, int backlog) noexcept;
/// connect(), non-blocking: winsock says "handshake started" with
/// `WSAEWOULDBLOCK` (Unix: `EINPROGRESS`), which counts as success.
/// Introduced in chapter 04 (net).
io::Result<void> connect(SOCKET socket, const metalio::net::SocketAddr& addr) noexcept;
/// accept() of one waiting connection, owned at once, then made
/// non-blocking and non-inheritable (winsock has no accept4).
/// Introduced in chapter 04 (net).
io::Result<std::pair<OwnedSocket, metalio::net::SocketAddr>> accept(SOCKET socket) noexcept;

/// recv() of at most `INT_MAX` bytes. Introduced in chapter 04 (net).
io::Result<std::size_t> read(SOCKET socket, std::span<std::byte> buffer) noexcept;
/// send() of at most `INT_MAX` bytes (Windows has no SIGPIPE: a gone peer is
/// an error). Introduced in chapter 04 (net).
io::Result<std::size_t> write(SOCKET socket, std::span<const std::byte> data) noexcept;
/// recv() with `MSG_PEEK`. Introduced in chapter 04 (net).
io::Result<std::size_t> peek(SOCKET socket, std::span<std::byte> buffer) noexcept;
/// How many bytes one vectored call asks for: the sizes of the buffers it
/// takes (at most 1024 of them). Introduced in chapter 04 (net).
std::size_t vectored_size(std::span<const IoSlice> buffers) noexcept;
/// WSARecv() into the first 1024 buffers. Introduced in chapter 04 (net).
io::Result<std::size_t> read_vectored(SOCKET socket, std::span<const IoSlice> buffers) noexcept;
/// WSASend() of the first 1024 buffers. Introduced in chapter 04 (net).
io::Result<std::size_t> write_vectored(SOCKET socket, std::span<const IoSlice> buffers) noexcept;
/// shutdown() of one or both halves (`SD_RECEIVE`, `SD_SEND`, `SD_BOTH`).
/// Introduced in chapter 04 (net).
io::Result<void> shutdown(SOCKET socket, metalio::net::Shutdown how) noexcept;

}  // namespace metalio::sys::tcp
