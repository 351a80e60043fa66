/// @file
/// rt::ring::TcpStream: stage 09's awaitable TCP stream, on the ring.
#pragma once

#include <algorithm>
#include <coroutine>
#include <cstddef>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "metalio/net/tcp_stream.hpp"
#include "metalio/rt/error.hpp"
#include "metalio/rt/ring/io_driver.hpp"
#include "metalio/rt/task.hpp"

namespace metalio::rt::ring {

/// What a ring operation gives when it cannot start: the stream was moved
/// from or closed (Errc::io_closed), its runtime is gone
/// (Errc::runtime_closed), or it is awaited outside it (Errc::no_runtime).
/// Introduced in chapter 10 (uring).
inline std::optional<std::error_code> unusable(const Socket* socket) noexcept {
    if (socket == nullptr) return make_error_code(Errc::io_closed);
    if (socket->driver == nullptr) return make_error_code(Errc::runtime_closed);
    if (socket->driver != IoDriver::current()) return make_error_code(Errc::no_runtime);
    return std::nullopt;
}

/// What a read and an accept share: the awaiter that parks on the
/// Socket's input Operation, submitting it first unless one is in flight
/// (a cancelled awaiter's, whose result this one then takes). @p Derived
/// provides `bool take()`, which makes result_ from what the Socket holds
/// (false: nothing yet). Introduced in chapter 10 (uring).
template <class Derived, class Output>
class InputWait {
public:
    /// Parks on @p socket's input.
    explicit InputWait(Socket* socket) noexcept : socket_(socket) {}
    InputWait(const InputWait&) = delete;
    InputWait& operator=(const InputWait&) = delete;
    /// A cancelled awaiter detaches itself; its operation goes on without it.
    ~InputWait() {
        if (parked_.op != nullptr) parked_.op->parked = nullptr;
    }

    /// True when the Socket holds a result already (or cannot be used).
    bool await_ready() noexcept {
        if (auto error = unusable(socket_)) {
            result_.emplace(std::unexpected(*error));
            return true;
        }
        return self().take();
    }
    /// Submits the operation unless one is in flight, and parks. One
    /// waiter at a time: a second gets EBUSY.
    bool await_suspend(std::coroutine_handle<> caller) {
        Operation& op = socket_->input;
        if (op.parked != nullptr) {
            result_.emplace(std::unexpected(std::make_error_code(std::errc::device_or_resource_busy)));
            return false;
        }
        if (!op.in_flight) {
            if (auto submitted = socket_->driver->submit(*socket_, op); !submitted) {
                result_.emplace(std::unexpected(submitted.error()));
                return false;
            }
        }
        parked_.handle = caller;
        parked_.op = &op;
        op.parked = &parked_;
        return true;
    }
    /// The result, or Errc::io_closed if the socket was closed meanwhile
    /// (then it may be gone: nothing of it is touched).
    Output await_resume() {
        if (!result_) {  // woken by the completion
            if (parked_.closed) return std::unexpected(make_error_code(Errc::io_closed));
            parked_.op->parked = nullptr;
            parked_.op = nullptr;
            if (!self().take()) result_.emplace(std::unexpected(std::make_error_code(std::errc::io_error)));
        }
        return std::move(*result_);
    }

protected:
    Socket* socket_;               ///< The socket waited on.
    std::optional<Output> result_; ///< What await_resume() gives.

private:
    Derived& self() noexcept { return static_cast<Derived&>(*this); }
    Parked parked_;
};

// [read-op]
/// `co_await stream.read(buffer)` on the ring: takes bytes the Socket
/// already received, or submits a recv into the Socket's own buffer and
/// parks until it completes, then copies into @p buffer. The kernel never
/// sees @p buffer, so destroying the waiting task (a timeout, a select)
/// is safe at any moment: the recv stays in flight, and what it receives
/// waits in the Socket for the next read. Movable until awaited.
/// Introduced in chapter 10 (uring).
class ReadOp : public InputWait<ReadOp, io::Result<std::size_t>> {
public:
    /// Reads from @p socket into @p buffer.
    ReadOp(Socket* socket, std::span<std::byte> buffer) noexcept : InputWait(socket), buffer_(buffer) {}
    /// Takes over an operation not awaited yet.
    ReadOp(ReadOp&& other) noexcept : InputWait(other.socket_), buffer_(other.buffer_) {}
    ReadOp& operator=(ReadOp&&) = delete;

    /// A Task that awaits this read, for select() and timeout().
    Task<io::Result<std::size_t>> into_task() && { return awaiting(std::move(*this)); }

    // [copy-out]
    /// The copy out of the Socket's buffer: the price of the ownership rule.
    bool take() noexcept {
        Socket& socket = *socket_;
        if (buffer_.empty()) {
            result_.emplace(0);
        } else if (socket.consumed < socket.inbox.len()) {
            const std::size_t count = std::min(buffer_.size(), socket.inbox.len() - socket.consumed);
            std::memcpy(buffer_.data(), socket.inbox.data() + socket.consumed, count);
            socket.consumed += count;
            result_.emplace(count);
        } else if (socket.read_error) {
            result_.emplace(std::unexpected(*std::exchange(socket.read_error, std::nullopt)));
        } else if (socket.eof) {
            result_.emplace(0);
        } else {
            return false;
        }
        return true;
    }
    // [copy-out]

private:
    static Task<io::Result<std::size_t>> awaiting(ReadOp op) { co_return co_await op; }

    std::span<std::byte> buffer_;
};
// [read-op]

/// `co_await stream.write_all(data)` (@p All) or `co_await stream.write(data)`
/// on the ring: copies @p data into the Socket's buffer and submits one
/// send, which the IoDriver continues after a short send until all is
/// sent. A write that finds a cancelled write's send still in flight
/// waits for it first, so bytes never interleave. write() sends at most
/// kMaxWrite bytes, all of them. Movable until awaited.
/// Introduced in chapter 10 (uring).
template <bool All>
class WriteOp {
public:
    /// What `co_await` gives: nothing for write_all(), a count for write().
    using Output = std::conditional_t<All, io::Result<void>, io::Result<std::size_t>>;
    /// The most one write() copies and sends.
    static constexpr std::size_t kMaxWrite = 64 * 1024;

    /// Writes @p data to @p socket.
    WriteOp(Socket* socket, std::span<const std::byte> data) noexcept : socket_(socket), data_(data) {}
    /// Takes over an operation not awaited yet.
    WriteOp(WriteOp&& other) noexcept : socket_(other.socket_), data_(other.data_) {}
    WriteOp& operator=(WriteOp&&) = delete;
    /// A cancelled write detaches itself; its send goes on without it.
    ~WriteOp() {
        if (parked_.op != nullptr) parked_.op->parked = nullptr;
    }

    /// Ready at once only for an unusable stream or nothing to write.
    bool await_ready() noexcept {
        if (auto error = unusable(socket_)) {
            result_.emplace(std::unexpected(*error));
            return true;
        }
        if (data_.empty()) result_.emplace(std::size_t{0});
        return data_.empty();
    }
    /// Submits the send (or waits for the one in flight), parks.
    bool await_suspend(std::coroutine_handle<> caller) {
        Operation& op = socket_->output;
        if (op.parked != nullptr) {  // one writer at a time
            result_.emplace(std::unexpected(std::make_error_code(std::errc::device_or_resource_busy)));
            return false;
        }
        parked_.handle = caller;
        parked_.self = this;
        parked_.op = &op;
        op.parked = &parked_;
        if (op.in_flight) {  // a cancelled write's send: after it
            parked_.on_turn = &after_previous;
            return true;
        }
        return start();
    }
    /// What was sent, or what failed.
    Output await_resume() {
        if (parked_.closed) return std::unexpected(make_error_code(Errc::io_closed));
        if (parked_.op != nullptr) {
            Operation& op = *std::exchange(parked_.op, nullptr);
            op.parked = nullptr;
            result_.emplace(std::move(op.result));
        }
        if (!*result_) return std::unexpected(result_->error());
        if constexpr (All) {
            return {};
        } else {
            return **result_;
        }
    }
    /// A Task that awaits this write, for select() and timeout().
    Task<Output> into_task() && { return awaiting(std::move(*this)); }

private:
    struct Waiting : Parked {
        WriteOp* self = nullptr;
    };
    static Task<Output> awaiting(WriteOp op) { co_return co_await op; }

    // Copies the bytes into the Socket and submits; false (with a result)
    // if the submission failed.
    bool start() {
        Socket& socket = *socket_;
        Operation& op = socket.output;
        const std::size_t count = All ? data_.size() : std::min(data_.size(), kMaxWrite);
        // Grown when a write needs more, never shrunk: no allocation per request.
        if (socket.outbox.capacity() < count) socket.outbox = uring::Buffer(std::max<std::size_t>(count, 1024));
        std::memcpy(socket.outbox.data(), data_.data(), count);
        socket.outbox.set_len(count);
        socket.sent = 0;
        op.result = 0;
        if (auto submitted = socket.driver->submit(socket, op); !submitted) {
            op.parked = nullptr;
            parked_.op = nullptr;
            result_.emplace(std::unexpected(submitted.error()));
            return false;
        }
        return true;
    }
    // The previous send completed: now this write's own, or the result.
    static void after_previous(Waiter& waiter) {
        auto& parked = static_cast<Waiting&>(waiter);
        parked.on_turn = &Waiter::resume_handle;
        if (parked.closed || parked.self->start() == false) parked.handle.resume();
    }

    Socket* socket_;
    std::span<const std::byte> data_;
    std::optional<io::Result<std::size_t>> result_;
    Waiting parked_;
};

// [tcp-stream]
/// A TCP connection on the ring runtime, with stage 09's rt::TcpStream
/// interface: read(), write(), write_all() to `co_await`, the same results
/// and the same cancel safety (read: safe, the bytes wait for the next
/// read; write_all: an unknown prefix may be sent). What differs is who
/// owns the memory while the kernel works: the stream's Socket, never the
/// caller (see Socket). No connect() (the servers of this site do not need
/// one). Move-only; destroying it abandons the Socket (see IoDriver).
/// Introduced in chapter 10 (uring).
class TcpStream {
public:
    /// Adopts a connected @p stream into the ring runtime running on this
    /// thread. Errc::no_runtime outside its block_on.
    static io::Result<TcpStream> from_std(net::TcpStream stream);

    /// Takes over @p other's Socket (and the operations in flight on it).
    TcpStream(TcpStream&& other) noexcept : socket_(std::exchange(other.socket_, nullptr)) {}
    /// Closes this stream, then takes over @p other's Socket.
    TcpStream& operator=(TcpStream&& other) noexcept {
        if (this != &other) {
            close();
            socket_ = std::exchange(other.socket_, nullptr);
        }
        return *this;
    }
    TcpStream(const TcpStream&) = delete;
    TcpStream& operator=(const TcpStream&) = delete;
    /// Abandons the Socket: closed once the kernel let go of it.
    ~TcpStream() { close(); }

    /// Reads into @p buffer; `co_await` gives io::Result<std::size_t>, 0
    /// meaning end-of-file (or an empty buffer). Cancel safety: safe.
    ReadOp read(std::span<std::byte> buffer) noexcept { return {socket_, buffer}; }
    /// Writes all of @p data (at most WriteOp::kMaxWrite); `co_await`
    /// gives how much. Cancel safety: a cancelled write may still send.
    WriteOp<false> write(std::span<const std::byte> data) noexcept { return {socket_, data}; }
    /// Writes all of @p data, or fails; `co_await` gives io::Result<void>.
    /// Cancel safety: NOT safe, as on stage 09 (a prefix may be sent).
    WriteOp<true> write_all(std::span<const std::byte> data) noexcept { return {socket_, data}; }
    /// write_all() of the bytes of @p text (copied when the write starts).
    WriteOp<true> write_all(std::string_view text) noexcept { return write_all(std::as_bytes(std::span(text))); }

    /// Closes one or both halves (see net::TcpStream::shutdown).
    io::Result<void> shutdown(net::Shutdown how) const noexcept;
    /// The address of the other end.
    io::Result<net::SocketAddr> peer_addr() const noexcept;
    /// The address of this end.
    io::Result<net::SocketAddr> local_addr() const noexcept;
    /// The underlying stage-04 stream (for options such as set_nodelay).
    /// Only on a stream that was not moved from.
    [[nodiscard]] const net::TcpStream& get_ref() const noexcept { return *socket_->stream; }

private:
    friend class TcpListener;
    explicit TcpStream(Socket* socket) noexcept : socket_(socket) {}
    void close() noexcept;

    Socket* socket_;
};
// [tcp-stream]

}  // namespace metalio::rt::ring
