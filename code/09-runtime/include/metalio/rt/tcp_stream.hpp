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
/// Every operation is something to `co_await`: read(), write() and
/// write_all() are IoOperations (tried at once, no frame of their own),
/// connect() and accept() Tasks. Each returns when the kernel made
/// progress (or failed), parking the task on the reactor in between.
/// select() and timeout() take either; what cancelling each one does
/// (destroying the task parked in it, as timeout() does) is its "Cancel
/// safety" line below.
///
/// The stream may move, even while an operation is parked on it: the
/// operations find it through its readiness record (ScheduledIo::owner),
/// which every move updates. Destroying it deregisters it; an operation
/// still parked on it then ends with Errc::io_closed.
/// Move-only. Introduced in chapter 09 (runtime).
class TcpStream {
public:
    /// Connects to @p addr: starts the connect, waits for writability, then
    /// reports the socket error (ECONNREFUSED, ...) if there is one, or
    /// ENOTCONN if the connect failed and the selector took its error.
    /// Cancel safety: cancelling closes the half-made connection.
    static Task<io::Result<TcpStream>> connect(net::SocketAddr addr);
    /// Registers a connected @p stream with the running runtime.
    /// Errc::no_runtime outside Runtime::block_on.
    static io::Result<TcpStream> from_std(net::TcpStream stream);

    /// Takes over @p other's socket and registration (and its parked
    /// operations, which go on with this object).
    TcpStream(TcpStream&& other) noexcept
        : inner_(std::move(other.inner_)), registration_(std::move(other.registration_)) {
        registration_.set_owner(this);
    }
    /// Deregisters and closes this stream, then takes over @p other's.
    TcpStream& operator=(TcpStream&& other) noexcept;
    TcpStream(const TcpStream&) = delete;
    TcpStream& operator=(const TcpStream&) = delete;
    /// Deregisters the socket while it is still open, then closes it.
    ~TcpStream() { registration_.deregister(inner_); }

    /// Reads into @p buffer once some bytes are there; `co_await` gives
    /// io::Result<std::size_t>, 0 meaning end-of-file (or an empty buffer).
    /// A read that returns fewer bytes than asked for emptied the socket
    /// (epoll, kqueue): the next read parks without a system call.
    /// Cancel safety: safe. A cancelled read read nothing; the bytes wait
    /// for the next read.
    auto read(std::span<std::byte> buffer) noexcept;
    /// Writes part of @p data once the socket takes some; `co_await` gives
    /// io::Result<std::size_t>, how much.
    /// Cancel safety: safe. A cancelled write wrote nothing.
    auto write(std::span<const std::byte> data) noexcept;
    /// Writes all of @p data, or fails (e.g. EPIPE or ECONNRESET when the
    /// peer is gone); `co_await` gives io::Result<void>.
    /// Cancel safety: NOT safe. A cancelled write_all may have written a
    /// prefix of @p data (as much as the socket took before it parked) and
    /// does not say how much; to resume after a cancel, loop on write()
    /// instead, which reports each part.
    auto write_all(std::span<const std::byte> data) noexcept;
    /// write_all() of the bytes of @p text (which must outlive the operation).
    auto write_all(std::string_view text) noexcept;

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
        : inner_(std::move(inner)), registration_(std::move(registration)) {
        registration_.set_owner(this);
    }
    // The stream an operation runs on: wherever it lives now.
    static TcpStream& at(ScheduledIo* record) noexcept { return *record->owner<TcpStream>(); }

    net::TcpStream inner_;
    Registration registration_;
};
// [tcp-stream]

// The three operations a server makes for every request: awaiters, not
// Tasks (see IoOperation), defined here so that they inline into the caller.
// Each captures the stream's readiness record, which does not move, never
// `this`, which does.

// [read]
inline auto TcpStream::read(std::span<std::byte> buffer) noexcept {
    ScheduledIo* record = registration_.scheduled_io();
    return registration_.async_io<Direction::Read>([record, buffer] {
        auto read = at(record).inner_.read(buffer);
#if !METALIO_SELECTOR_POLL
        // The short-read rule: the kernel gave less than we asked for, so
        // the socket is empty now. Clearing saves the read that would
        // return WouldBlock. Only with a true edge-triggered selector: the
        // poll(2) selector re-arms only on WouldBlock, so there the next
        // read must see it.
        if (read && *read > 0 && *read < buffer.size()) record->clear(Direction::Read);
#endif
        return read;
    });
}
// [read]

inline auto TcpStream::write(std::span<const std::byte> data) noexcept {
    ScheduledIo* record = registration_.scheduled_io();
    return registration_.async_io<Direction::Write>([record, data] { return at(record).inner_.write(data); });
}

// [write-all]
inline auto TcpStream::write_all(std::span<const std::byte> data) noexcept {
    // One retry loop for the whole buffer: the operation keeps what is left
    // in its own copy of `data` and reports WouldBlock while bytes remain,
    // so the task parks until the socket is writable again and the
    // operation goes on. A short write is progress, not an error.
    ScheduledIo* record = registration_.scheduled_io();
    return registration_.async_io<Direction::Write>([record, data]() mutable -> io::Result<void> {
        while (!data.empty()) {
            auto written = at(record).inner_.write(data);
            if (!written) return std::unexpected(written.error());
            // A socket that takes nothing of a non-empty buffer would loop forever.
            if (*written == 0) return std::unexpected(std::make_error_code(std::errc::io_error));
            data = data.subspan(*written);
        }
        return {};
    });
}
// [write-all]

inline auto TcpStream::write_all(std::string_view text) noexcept { return write_all(std::as_bytes(std::span(text))); }

}  // namespace metalio::rt
