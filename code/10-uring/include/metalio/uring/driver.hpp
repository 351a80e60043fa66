/// @file
/// Driver: the completion API, operations with owned buffers over one Ring.
#pragma once

#include <linux/time_types.h>
#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "metalio/io.hpp"
#include "metalio/token.hpp"
#include "metalio/uring/buffer.hpp"
#include "metalio/uring/completion.hpp"
#include "metalio/uring/ring.hpp"

namespace metalio::uring {

// [driver]
/// A completion API on one Ring: submit operations, each with a Token, and
/// reap their Completions (tokio-uring's driver, without the futures).
///
/// An operation is *in flight* from its submit call until next() returns
/// its last Completion; during that time the Driver keeps everything the
/// kernel may touch: the Buffer of a recv or send, the duration of a
/// timeout. A turn of a server is: submit what it needs, then
/// submit_and_wait() (one io_uring_enter for the whole turn), then next()
/// until it returns nothing.
///
/// Submitting allocates nothing once the Driver has held as many
/// operations at once as it holds now (its slots are reused). The
/// destructor cancels what is still in flight and waits for the kernel
/// to let go of it, so no buffer is freed while the kernel could still
/// write into it. Not thread-safe; used by the thread that created it.
/// Introduced in chapter 10 (uring).
class Driver {
public:
    /// A Driver over a new Ring of @p entries submission slots.
    static io::Result<Driver> create(unsigned entries = 256) noexcept;

    /// Takes over @p other's ring and operations.
    Driver(Driver&& other) noexcept = default;
    Driver& operator=(Driver&&) = delete;
    Driver(const Driver&) = delete;
    Driver& operator=(const Driver&) = delete;
    /// Cancels every operation in flight and waits for their completions.
    ~Driver();

    /// Accepts one connection on the listening socket @p listener; the
    /// Completion's `accepted` holds it (close-on-exec).
    io::Result<OpId> accept(int listener, Token token) noexcept;
    /// Accepts connections until cancelled or failed: one Completion per
    /// connection, with `more` set while it goes on (Linux 5.19).
    io::Result<OpId> accept_multishot(int listener, Token token) noexcept;
    /// Receives into @p buffer's storage; the Completion gives the buffer
    /// back with len() set to the bytes received. @p buffer is moved from
    /// only if the submission succeeds.
    io::Result<OpId> recv(int fd, Buffer&& buffer, Token token) noexcept;
    /// Sends @p buffer's bytes (a short send is possible: see the result).
    /// @p buffer is moved from only if the submission succeeds.
    io::Result<OpId> send(int fd, Buffer&& buffer, Token token) noexcept;
    /// Completes with ETIME after @p after (or ECANCELED if cancelled).
    io::Result<OpId> timeout(std::chrono::nanoseconds after, Token token) noexcept;
    /// Asks the kernel to cancel @p target. Two completions follow: the
    /// target's (ECANCELED, or its result if it finished first) and this
    /// one's (0, ENOENT if nothing was found, EALREADY if it was too late).
    io::Result<OpId> cancel(OpId target, Token token) noexcept;

    /// One io_uring_enter: submits everything queued and waits until at
    /// least @p min_complete completions can be reaped (0: do not wait).
    io::Result<void> submit_and_wait(unsigned min_complete = 1) noexcept;
    /// The next completion, or nothing if none is ready (never blocks).
    [[nodiscard]] std::optional<Completion> next() noexcept;

    /// How many operations are in flight.
    [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_; }
    /// The Ring underneath.
    [[nodiscard]] Ring& ring() noexcept { return ring_; }

private:
    enum class Kind : std::uint8_t { accept, recv, send, timeout, cancel };
    struct Slot {
        Token token;
        Buffer buffer;
        std::uint32_t generation = 0;
        Kind kind = Kind::accept;
        bool busy = false;
    };
    struct Prepared {
        io_uring_sqe* entry;
        std::uint32_t index;
    };

    explicit Driver(Ring ring) noexcept : ring_(std::move(ring)) {}
    io::Result<Prepared> prepare(Kind kind, Token token) noexcept;
    void release(std::uint32_t index) noexcept;
    io::Result<OpId> accept_with(int listener, Token token, std::uint16_t how) noexcept;

    Ring ring_;
    std::vector<Slot> slots_;  // may move as it grows: the kernel keeps no pointer into a Slot
    // A timeout's duration, by slot: the kernel reads it at submission, so
    // it lives in a deque, whose elements stay put when it grows.
    std::deque<__kernel_timespec> durations_;
    std::vector<std::uint32_t> free_;
    std::size_t in_flight_ = 0;
};
// [driver]

// The hot paths are defined here, inline, as liburing defines its
// io_uring_prep_* and CQE helpers in its header: every request of a server
// goes through them twice, and a call into the library would cost more
// than the work.

// [prepare]
inline io::Result<Driver::Prepared> Driver::prepare(Kind kind, Token token) noexcept {
    io_uring_sqe* entry = ring_.submission().next();
    if (entry == nullptr) [[unlikely]] {
        // Every slot of the submission queue is taken: hand them to the
        // kernel now (without waiting) to make room.
        if (auto flushed = ring_.submit_and_wait(0); !flushed) return std::unexpected(flushed.error());
        entry = ring_.submission().next();
        if (entry == nullptr) return std::unexpected(std::make_error_code(std::errc::resource_unavailable_try_again));
    }
    std::uint32_t index;
    if (free_.empty()) [[unlikely]] {
        index = static_cast<std::uint32_t>(slots_.size());
        slots_.emplace_back();
        free_.reserve(slots_.size());  // so that release() never allocates
    } else {
        index = free_.back();
        free_.pop_back();
    }
    Slot& slot = slots_[index];
    slot.token = token;
    slot.kind = kind;
    slot.busy = true;
    entry->user_data = std::uint64_t{slot.generation} << 32 | index;
    ++in_flight_;
    return Prepared{entry, index};
}
// [prepare]

inline void Driver::release(std::uint32_t index) noexcept {
    Slot& slot = slots_[index];
    ++slot.generation;  // an old OpId no longer names this slot
    slot.busy = false;
    free_.push_back(index);
    --in_flight_;
}

// [submit]
inline io::Result<OpId> Driver::recv(int fd, Buffer&& buffer, Token token) noexcept {
    auto prepared = prepare(Kind::recv, token);
    if (!prepared) return std::unexpected(prepared.error());
    Slot& slot = slots_[prepared->index];
    slot.buffer = std::move(buffer);  // from here until its completion, the operation owns it
    io_uring_sqe& entry = *prepared->entry;
    entry.opcode = IORING_OP_RECV;
    entry.fd = fd;
    entry.addr = reinterpret_cast<std::uintptr_t>(slot.buffer.data());
    entry.len = static_cast<std::uint32_t>(slot.buffer.capacity());
    return OpId{entry.user_data};
}
// [submit]

inline io::Result<OpId> Driver::send(int fd, Buffer&& buffer, Token token) noexcept {
    auto prepared = prepare(Kind::send, token);
    if (!prepared) return std::unexpected(prepared.error());
    Slot& slot = slots_[prepared->index];
    slot.buffer = std::move(buffer);
    io_uring_sqe& entry = *prepared->entry;
    entry.opcode = IORING_OP_SEND;
    entry.fd = fd;
    entry.addr = reinterpret_cast<std::uintptr_t>(slot.buffer.data());
    entry.len = static_cast<std::uint32_t>(slot.buffer.len());
    // No SIGPIPE for a closed peer (an EPIPE result instead); MSG_WAITALL
    // makes the kernel (5.19 and later) send all of it before completing.
    entry.msg_flags = MSG_NOSIGNAL | MSG_WAITALL;
    return OpId{entry.user_data};
}

// [next]
inline std::optional<Completion> Driver::next() noexcept {
    CompletionQueue& queue = ring_.completion();
    while (const io_uring_cqe* entry = queue.peek()) {
        const std::uint64_t user_data = entry->user_data;
        const std::int32_t result = entry->res;
        const bool more = entry->flags & IORING_CQE_F_MORE;
        queue.advance();  // copied out: the kernel may reuse the entry now
        // The destructor's cancels carry an index no slot has (all ones).
        const auto index = static_cast<std::uint32_t>(user_data);
        if (index >= slots_.size() || slots_[index].generation != user_data >> 32) continue;
        Slot& slot = slots_[index];
        std::optional<Completion> completion(std::in_place);
        completion->token = slot.token;
        if (result < 0) {
            completion->result = std::unexpected(std::error_code(-result, std::system_category()));
        } else {
            completion->result = static_cast<std::size_t>(result);
            if (slot.kind == Kind::accept) completion->accepted = sys::OwnedFd(result);
        }
        completion->more = more;
        if (!more) {  // the operation is over: its buffer goes back to its owner
            if (slot.kind == Kind::recv && result >= 0) slot.buffer.set_len(static_cast<std::size_t>(result));
            completion->buffer = std::move(slot.buffer);
            release(index);
        }
        return completion;
    }
    return std::nullopt;
}
// [next]

}  // namespace metalio::uring
