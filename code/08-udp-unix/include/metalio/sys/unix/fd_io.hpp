/// @file
/// The byte-moving system calls that UnixStream, UnixDatagram, UdpSocket and
/// the pipe ends share, each as one function on a raw fd.
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>
#include <span>

#include "metalio/io.hpp"
#include "metalio/net/tcp_stream.hpp"

namespace metalio::sys::fd_io {

/// A byte count from a system call that returned `ssize_t`. Introduced in chapter 08.
io::Result<std::size_t> to_size(io::Result<ssize_t> result) noexcept;

/// read(2) into @p buffer; 0 is end-of-file. Introduced in chapter 08.
io::Result<std::size_t> read(int fd, std::span<std::byte> buffer) noexcept;
/// readv(2) into @p buffers (at most `IOV_MAX` of them). Introduced in chapter 08.
io::Result<std::size_t> read_vectored(int fd, std::span<const iovec> buffers) noexcept;

/// recv(2) with @p flags (0, or `MSG_PEEK`). Introduced in chapter 08.
io::Result<std::size_t> recv(int fd, std::span<std::byte> buffer, int flags) noexcept;
/// send(2) with `MSG_NOSIGNAL`: a vanished peer is `EPIPE`, never SIGPIPE.
/// Introduced in chapter 08.
io::Result<std::size_t> send(int fd, std::span<const std::byte> data) noexcept;
/// sendmsg(2) of @p buffers with `MSG_NOSIGNAL` (writev has no flags).
/// Introduced in chapter 08.
io::Result<std::size_t> send_vectored(int fd, std::span<const iovec> buffers) noexcept;

/// shutdown(2) of one or both halves of a socket. Introduced in chapter 08.
io::Result<void> shutdown(int fd, metalio::net::Shutdown how) noexcept;

}  // namespace metalio::sys::fd_io
