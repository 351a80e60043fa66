/// @file
/// Driver: the completion API, operations with owned buffers over one Ring.
#pragma once

#include <linux/time_types.h>
#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "metalio/io.hpp"
#include "metalio/token.hpp"
#include "metalio/uring/buffer.hpp"
#include "metalio/uring/buffer_ring.hpp"
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
    /// Registers a BufferRing of @p count buffers (a power of two) of
    /// @p size bytes each as buffer group @p group, which recv_provided()
    /// and recv_multishot() name. uring::Errc::no_buffer_ring on a kernel
    /// older than 5.19; EEXIST if the group is taken.
    io::Result<void> provide_buffers(std::uint16_t group, std::uint16_t count, std::uint32_t size) noexcept;
    /// Receives into a buffer the kernel picks from @p group when data
    /// arrives; the Completion's `provided` lends it (ENOBUFS when the
    /// group has none left). EINVAL at once for an unknown group.
    io::Result<OpId> recv_provided(int fd, std::uint16_t group, Token token) noexcept;
    /// Receives until the end of the stream, an error, a cancel, or an
    /// empty group (ENOBUFS): one Completion per arrival, each with its
    /// `provided` buffer and `more` set while it goes on (Linux 6.0).
    io::Result<OpId> recv_multishot(int fd, std::uint16_t group, Token token) noexcept;
    /// Completes with ETIME after @p after (or ECANCELED if cancelled).
    io::Result<OpId> timeout(std::chrono::nanoseconds after, Token token) noexcept;
    /// Asks the kernel to cancel @p target. Two completions follow: the
    /// target's (ECANCELED, or its result if it finished first) and this
    /// one's (0, ENOENT if nothing was found, EALREADY if it was too late).
    io::Result<OpId> cancel(OpId target, Token token) noexcept;

    /// One io_uring_enter: submits everything queued and waits until at
    /// least @p min_complete completions can be reaped (0: do not wait).
    io::Result<void> submit_and_wait(unsigned min_complete = 1) noexcept {
        if (auto taken = ring_.submit_and_wait(min_complete); !taken) return std::unexpected(taken.error());
        return {};
    }
    /// The next completion, or nothing if none is ready (never blocks).
    [[nodiscard]] std::optional<Completion> next() noexcept;
    /// The same into @p into, a Completion the caller keeps across calls:
    /// false (and @p into untouched) if none is ready. What @p into still
    /// owned is let go first (its Buffer freed, its accepted descriptor
    /// closed, its ProvidedBuffer given back to its ring), so a loop that
    /// moves out what it keeps builds no Completion per result.
    [[nodiscard]] bool next(Completion& into) noexcept;

    /// How many operations are in flight.
    [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_; }
    /// The Ring underneath.
    [[nodiscard]] Ring& ring() noexcept { return ring_; }

private:
    enum class Kind : std::uint8_t { accept, recv, send, timeout, cancel };
    static constexpr std::uint32_t kNoSlot = ~std::uint32_t{0};
    struct Slot {
        Token token;
        Buffer buffer;
        BufferRing* pool = nullptr;  // the group a recv selects from, if it does
        std::uint32_t generation = 0;
        std::uint32_t next_free = kNoSlot;  // the free slots form a list through this field
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
    io::Result<OpId> recv_select(int fd, std::uint16_t group, Token token, std::uint16_t how) noexcept;

    Ring ring_;
    std::vector<Slot> slots_;  // may move as it grows: the kernel keeps no pointer into a Slot
    // A timeout's duration, by slot: the kernel reads it at submission, so
    // it lives in a deque, whose elements stay put when it grows.
    std::deque<__kernel_timespec> durations_;
    std::uint32_t free_ = kNoSlot;  // the first free slot
    std::size_t in_flight_ = 0;
    // The buffer groups; each BufferRing stays put (operations and
    // ProvidedBuffers point at it) and dies after every operation ended.
    std::vector<std::unique_ptr<BufferRing>> pools_;
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
    std::uint32_t index = free_;
    if (index == kNoSlot) [[unlikely]] {
        index = static_cast<std::uint32_t>(slots_.size());
        slots_.emplace_back();
    } else {
        free_ = slots_[index].next_free;
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
    slot.next_free = free_;
    free_ = index;
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

// [recv-provided]
inline io::Result<OpId> Driver::recv_provided(int fd, std::uint16_t group, Token token) noexcept {
    return recv_select(fd, group, token, 0);
}

inline io::Result<OpId> Driver::recv_select(int fd, std::uint16_t group, Token token,
                                            std::uint16_t how) noexcept {
    BufferRing* pool = nullptr;
    for (const auto& ring : pools_)
        if (ring->group() == group) pool = ring.get();
    if (pool == nullptr) return std::unexpected(std::make_error_code(std::errc::invalid_argument));
    auto prepared = prepare(Kind::recv, token);
    if (!prepared) return std::unexpected(prepared.error());
    slots_[prepared->index].pool = pool;  // no Buffer of its own: the kernel picks one when data arrives
    io_uring_sqe& entry = *prepared->entry;
    entry.opcode = IORING_OP_RECV;
    entry.fd = fd;
    entry.flags = IOSQE_BUFFER_SELECT;
    entry.buf_group = group;
    entry.ioprio = how;
    return OpId{entry.user_data};
}
// [recv-provided]

// [next]
[[gnu::always_inline]] inline bool Driver::next(Completion& into) noexcept {
    CompletionQueue& queue = ring_.completion();
    while (const io_uring_cqe* entry = queue.peek()) {
        const std::uint64_t user_data = entry->user_data;
        const std::int32_t result = entry->res;
        const std::uint32_t flags = entry->flags;
        queue.advance();  // copied out: the kernel may reuse the entry now
        // The destructor's cancels carry an index no slot has (all ones).
        const auto index = static_cast<std::uint32_t>(user_data);
        if (index >= slots_.size() || slots_[index].generation != user_data >> 32) continue;
        Slot& slot = slots_[index];
        into.token = slot.token;
        into.more = flags & IORING_CQE_F_MORE;
        if (result < 0) [[unlikely]] {
            into.result = std::unexpected(std::error_code(-result, std::system_category()));
            into.accepted = sys::OwnedFd(-1);
        } else {
            into.result = static_cast<std::size_t>(result);
            into.accepted = sys::OwnedFd(slot.kind == Kind::accept ? result : -1);
        }
        if (flags & IORING_CQE_F_BUFFER)  // the kernel picked a buffer of the slot's group: lend it
            into.provided = ProvidedBuffer(*slot.pool,
                                           static_cast<std::uint16_t>(flags >> IORING_CQE_BUFFER_SHIFT),
                                           result > 0 ? static_cast<std::size_t>(result) : 0);
        else
            into.provided.recycle();
        if (into.more) {
            into.buffer = Buffer();
        } else {  // the operation is over: its buffer goes back to its owner
            if (slot.kind == Kind::recv && result >= 0) slot.buffer.set_len(static_cast<std::size_t>(result));
            into.buffer = std::move(slot.buffer);
            release(index);
        }
        return true;
    }
    return false;
}
// [next]

inline std::optional<Completion> Driver::next() noexcept {
    std::optional<Completion> completion(std::in_place);
    if (!next(*completion)) return std::nullopt;
    return completion;
}
// [next]

}  // namespace metalio::uring
