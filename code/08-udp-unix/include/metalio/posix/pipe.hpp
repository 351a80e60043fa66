/// @file
/// posix::pipe(): a non-blocking pipe as two Sources, Sender and Receiver.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <span>
#include <string_view>
#include <utility>

#include "metalio/io_source_owner.hpp"

namespace metalio::posix {

// [pipe-ends]
/// The writing end of a pipe: mio's `unix::pipe::Sender`.
///
/// Register it for WRITABLE; write() either takes some bytes or says
/// WouldBlock while the pipe's buffer (64 KiB by default on Linux) is full.
/// When every Receiver is closed a write fails with `EPIPE`; the SIGPIPE the
/// kernel sends with it is consumed, so it cannot kill the process (Rust
/// programs ignore SIGPIPE from the start; C++ programs do not).
/// Move-only. Introduced in chapter 08 (udp-unix).
class Sender : public IoSourceOwner {
public:
    /// Adopts the write end of a pipe, e.g. a child process's stdin that
    /// the parent keeps: sets it non-blocking and close-on-exec.
    static io::Result<Sender> from_fd(sys::OwnedFd fd) noexcept;

    /// Writes what fits of @p data (at most `PIPE_BUF` bytes are written
    /// atomically, all or none).
    io::Result<std::size_t> write(std::span<const std::byte> data) const noexcept;
    /// write() of the bytes of @p text.
    io::Result<std::size_t> write(std::string_view text) const noexcept;
    /// Writes several buffers in one call (writev).
    io::Result<std::size_t> write_vectored(std::span<const iovec> buffers) const noexcept;
    /// Switches `O_NONBLOCK` on or off (mio's `set_nonblocking`).
    io::Result<void> set_nonblocking(bool nonblocking) const noexcept;

private:
    friend io::Result<std::pair<Sender, class Receiver>> pipe() noexcept;
    explicit Sender(sys::OwnedFd fd) noexcept : IoSourceOwner(std::move(fd)) {}
};

/// The reading end of a pipe: mio's `unix::pipe::Receiver`.
///
/// Register it for READABLE and read() until WouldBlock. A read of 0 bytes
/// is end-of-file: every Sender is closed (the event then says read-closed).
/// Move-only. Introduced in chapter 08 (udp-unix).
class Receiver : public IoSourceOwner {
public:
    /// Adopts the read end of a pipe, e.g. a child process's stdout that
    /// the parent keeps: sets it non-blocking and close-on-exec.
    static io::Result<Receiver> from_fd(sys::OwnedFd fd) noexcept;

    /// Reads into @p buffer; 0 is end-of-file.
    io::Result<std::size_t> read(std::span<std::byte> buffer) const noexcept;
    /// Reads into several buffers in one call (readv).
    io::Result<std::size_t> read_vectored(std::span<const iovec> buffers) const noexcept;
    /// Switches `O_NONBLOCK` on or off (mio's `set_nonblocking`).
    io::Result<void> set_nonblocking(bool nonblocking) const noexcept;

private:
    friend io::Result<std::pair<Sender, Receiver>> pipe() noexcept;
    explicit Receiver(sys::OwnedFd fd) noexcept : IoSourceOwner(std::move(fd)) {}
};
// [pipe-ends]

static_assert(Source<Sender> && Source<Receiver>);

/// A new pipe, both ends non-blocking and close-on-exec from the start
/// (pipe2): mio's `unix::pipe::new()`. Introduced in chapter 08 (udp-unix).
io::Result<std::pair<Sender, Receiver>> pipe() noexcept;

}  // namespace metalio::posix
