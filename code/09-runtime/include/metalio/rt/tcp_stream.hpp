/// @file
/// rt::TcpStream: a TCP connection whose reads and writes are awaited.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "metalio/net/tcp_stream.hpp"
#include "metalio/rt/registration.hpp"
#include "metalio/rt/task.hpp"

namespace metalio::rt {

// [tcp-stream]
/// A net::TcpStream registered with the runtime: tokio's `net::TcpStream`.
///
/// Every operation is a Task to `co_await`; it returns when the kernel
/// made progress (or failed), parking the task on the reactor in between.
/// Cancelling an operation (destroying its Task, as timeout() does) loses
/// nothing: a read that did not finish read nothing, so the stream stays
/// usable. The stream must outlive the operations started on it.
/// Move-only. Introduced in chapter 09 (runtime).
class TcpStream {
public:
    /// Connects to @p addr: starts the connect, waits for writability, then
    /// reports the socket error (ECONNREFUSED, ...) if there is one.
    static Task<io::Result<TcpStream>> connect(net::SocketAddr addr);
    /// Registers a connected @p stream with the running runtime.
    /// Errc::no_runtime outside Runtime::block_on.
    static io::Result<TcpStream> from_std(net::TcpStream stream);

    /// Reads into @p buffer once some bytes are there; 0 means end-of-file
    /// (or an empty buffer). A read that returns fewer bytes than asked for
    /// emptied the socket (epoll): the next read parks without a syscall.
    Task<io::Result<std::size_t>> read(std::span<std::byte> buffer);
    /// Writes part of @p data once the socket takes some; returns how much.
    Task<io::Result<std::size_t>> write(std::span<const std::byte> data);
    /// Writes all of @p data, or fails (e.g. EPIPE or ECONNRESET when the
    /// peer is gone).
    Task<io::Result<void>> write_all(std::span<const std::byte> data);
    /// write_all() of the bytes of @p text (which must outlive the task).
    Task<io::Result<void>> write_all(std::string_view text) { return write_all(std::as_bytes(std::span(text))); }

    /// Closes one or both halves (see net::TcpStream::shutdown).
    io::Result<void> shutdown(net::Shutdown how) const noexcept { return inner_.shutdown(how); }
    /// The address of the other end.
    io::Result<net::SocketAddr> peer_addr() const noexcept { return inner_.peer_addr(); }
    /// The address of this end.
    io::Result<net::SocketAddr> local_addr() const noexcept { return inner_.local_addr(); }
    /// The underlying stage-04 stream (for options such as set_nodelay).
    [[nodiscard]] const net::TcpStream& get_ref() const noexcept { return inner_; }

private:
    TcpStream(net::TcpStream inner, Registration registration) noexcept
        : inner_(std::move(inner)), registration_(std::move(registration)) {}

    net::TcpStream inner_;
    Registration registration_;  // after inner_: destroyed before the fd closes
};
// [tcp-stream]

}  // namespace metalio::rt
