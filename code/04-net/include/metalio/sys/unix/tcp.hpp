/// @file
/// The POSIX system calls behind net::TcpListener and net::TcpStream (mio's
/// sys/unix/tcp.rs). sys/windows/tcp.hpp provides the same functions over
/// winsock, so the two class files are written once for every platform.
#pragma once

#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <span>
#include <utility>

#include "metalio/io.hpp"
#include "metalio/net/socket_addr.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/sys/socket.hpp"
#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/send.hpp"

/// @cond
// Declared here, defined (and documented) in net/tcp_stream.hpp: hidden
// from Doxygen, which would otherwise place the enum in this file.
namespace metalio::net {
enum class Shutdown;
}  // namespace metalio::net
/// @endcond

namespace metalio::sys::tcp {

/// `SO_REUSEADDR` on: a restarted server can bind its port while connections
/// of its previous run are in `TIME_WAIT`. Unix only (see sys/windows/tcp.hpp).
/// Introduced in chapter 04 (net).
io::Result<void> set_reuseaddr(int fd) noexcept;
/// bind(2) to @p addr. Introduced in chapter 04 (net).
io::Result<void> bind(int fd, const metalio::net::SocketAddr& addr) noexcept;
/// listen(2) with a queue of @p backlog. Introduced in chapter 04 (net).
io::Result<void> listen(int fd, int backlog) noexcept;
/// connect(2), non-blocking: `EINPROGRESS` (the handshake has started)
/// counts as success. Introduced in chapter 04 (net).
io::Result<void> connect(int fd, const metalio::net::SocketAddr& addr) noexcept;
/// accept4(2) of one waiting connection, non-blocking and close-on-exec from
/// its first instant, owned before the peer's address is decoded.
/// Introduced in chapter 04 (net).
io::Result<std::pair<OwnedFd, metalio::net::SocketAddr>> accept(int fd) noexcept;

// [read-write]
// read() and write() are defined here, in the header, so that a call
// compiles to the system call and a test of its result: the io::Result
// never crosses a function boundary through memory (TcpStream::read and
// ::write, which call them, are inline too).

/// read(2). Introduced in chapter 04 (net).
inline io::Result<std::size_t> read(int fd, std::span<std::byte> buffer) noexcept {
    const auto got = METALIO_SYSCALL(read, fd, buffer.data(), buffer.size());
    if (!got) return std::unexpected(got.error());
    return static_cast<std::size_t>(*got);
}

/// send(2) with `MSG_NOSIGNAL` (`SO_NOSIGPIPE` on macOS:
/// sys/unix/portable/send.hpp): a gone peer is `EPIPE`, not a SIGPIPE that
/// would kill the process. Introduced in chapter 04 (net).
inline io::Result<std::size_t> write(int fd, std::span<const std::byte> data) noexcept {
    const auto sent = portable::send(fd, data.data(), data.size());
    if (!sent) return std::unexpected(sent.error());
    return static_cast<std::size_t>(*sent);
}
// [read-write]

/// recv(2) with `MSG_PEEK`. Introduced in chapter 04 (net).
io::Result<std::size_t> peek(int fd, std::span<std::byte> buffer) noexcept;
/// How many bytes one vectored call asks for: the sizes of the buffers it
/// takes (at most `IOV_MAX` of them). Introduced in chapter 04 (net).
std::size_t vectored_size(std::span<const IoSlice> buffers) noexcept;
/// readv(2) into the first `IOV_MAX` buffers. Introduced in chapter 04 (net).
io::Result<std::size_t> read_vectored(int fd, std::span<const IoSlice> buffers) noexcept;
/// sendmsg(2) of the first `IOV_MAX` buffers with `MSG_NOSIGNAL` (writev
/// has no flags). Introduced in chapter 04 (net).
io::Result<std::size_t> write_vectored(int fd, std::span<const IoSlice> buffers) noexcept;
/// shutdown(2) of one or both halves. Introduced in chapter 04 (net).
io::Result<void> shutdown(int fd, metalio::net::Shutdown how) noexcept;

}  // namespace metalio::sys::tcp
