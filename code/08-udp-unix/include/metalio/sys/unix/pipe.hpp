/// @file
/// The system calls behind posix::pipe() and its two ends.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <span>
#include <utility>

#include "metalio/io.hpp"
#include "metalio/sys/owned_fd.hpp"

namespace metalio::sys::pipe {

/// pipe2(2) with `O_NONBLOCK | O_CLOEXEC`: {read end, write end}. Introduced in chapter 08.
io::Result<std::pair<OwnedFd, OwnedFd>> create() noexcept;

/// Sets or clears `O_NONBLOCK` (fcntl `F_GETFL` + `F_SETFL`). Introduced in chapter 08.
io::Result<void> set_nonblocking(int fd, bool nonblocking) noexcept;
/// Makes an adopted fd non-blocking and close-on-exec. Introduced in chapter 08.
io::Result<void> adopt(int fd) noexcept;

/// write(2) that turns "no reader" into `EPIPE` without letting SIGPIPE
/// through (see without_sigpipe in pipe.cpp). Introduced in chapter 08.
io::Result<std::size_t> write(int fd, std::span<const std::byte> data) noexcept;
/// writev(2), with the same SIGPIPE protection. Introduced in chapter 08.
io::Result<std::size_t> write_vectored(int fd, std::span<const iovec> buffers) noexcept;

}  // namespace metalio::sys::pipe
