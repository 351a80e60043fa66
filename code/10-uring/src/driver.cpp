#include "metalio/uring/driver.hpp"

#include <sys/socket.h>

#include <limits>
#include <system_error>
#include <utility>

namespace metalio::uring {

namespace {

// The user data of the cancels the destructor submits: no slot has it.
constexpr std::uint64_t kUnowned = std::numeric_limits<std::uint64_t>::max();

}  // namespace

io::Result<Driver> Driver::create(unsigned entries) noexcept {
    auto ring = Ring::create(entries);
    if (!ring) return std::unexpected(ring.error());
    return Driver(std::move(*ring));
}

// [drop]
Driver::~Driver() {
    if (ring_.as_raw_fd() < 0 || in_flight_ == 0) return;  // moved from, or idle
    // Ask the kernel to give up every operation still in flight, then wait
    // for all of their completions: only then may the buffers be freed.
    for (std::uint32_t index = 0; index < slots_.size(); ++index) {
        const Slot& slot = slots_[index];
        if (!slot.busy || slot.kind == Kind::cancel) continue;
        io_uring_sqe* entry = ring_.submission().next();
        if (entry == nullptr) {
            if (!ring_.submit_and_wait(0)) break;
            entry = ring_.submission().next();
            if (entry == nullptr) break;
        }
        entry->opcode = IORING_OP_ASYNC_CANCEL;
        entry->fd = -1;
        entry->addr = std::uint64_t{slot.generation} << 32 | index;
        entry->user_data = kUnowned;
    }
    while (in_flight_ > 0 && ring_.submit_and_wait(1)) {
        while (next()) {
        }
    }
    // If io_uring_enter failed, closing the ring (next) still makes the
    // kernel cancel the operations and wait for them.
}
// [drop]

// [prepare]
io::Result<Driver::Prepared> Driver::prepare(Kind kind, Token token) noexcept {
    io_uring_sqe* entry = ring_.submission().next();
    if (entry == nullptr) {
        // Every slot of the submission queue is taken: hand them to the
        // kernel now (without waiting) to make room.
        if (auto flushed = ring_.submit_and_wait(0); !flushed) return std::unexpected(flushed.error());
        entry = ring_.submission().next();
        if (entry == nullptr) return std::unexpected(std::make_error_code(std::errc::resource_unavailable_try_again));
    }
    std::uint32_t index;
    if (free_.empty()) {
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

void Driver::release(std::uint32_t index) noexcept {
    ++slots_[index].generation;  // an old OpId no longer names this slot
    slots_[index].busy = false;
    free_.push_back(index);
    --in_flight_;
}

// [submit]
io::Result<OpId> Driver::recv(int fd, Buffer&& buffer, Token token) noexcept {
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

io::Result<OpId> Driver::send(int fd, Buffer&& buffer, Token token) noexcept {
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

io::Result<OpId> Driver::accept(int listener, Token token) noexcept { return accept_with(listener, token, 0); }

// [multishot]
io::Result<OpId> Driver::accept_multishot(int listener, Token token) noexcept {
    // The same request with one more bit: the kernel keeps it armed after
    // each connection, so one submission serves every accept.
    return accept_with(listener, token, IORING_ACCEPT_MULTISHOT);
}
// [multishot]

io::Result<OpId> Driver::accept_with(int listener, Token token, std::uint16_t how) noexcept {
    auto prepared = prepare(Kind::accept, token);
    if (!prepared) return std::unexpected(prepared.error());
    io_uring_sqe& entry = *prepared->entry;
    entry.opcode = IORING_OP_ACCEPT;
    entry.fd = listener;
    entry.accept_flags = SOCK_CLOEXEC;
    entry.ioprio = how;
    return OpId{entry.user_data};
}

io::Result<OpId> Driver::timeout(std::chrono::nanoseconds after, Token token) noexcept {
    auto prepared = prepare(Kind::timeout, token);
    if (!prepared) return std::unexpected(prepared.error());
    Slot& slot = slots_[prepared->index];
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(after);
    slot.duration = {.tv_sec = seconds.count(), .tv_nsec = (after - seconds).count()};
    io_uring_sqe& entry = *prepared->entry;
    entry.opcode = IORING_OP_TIMEOUT;
    entry.fd = -1;
    entry.addr = reinterpret_cast<std::uintptr_t>(&slot.duration);
    entry.len = 1;  // one timespec
    entry.off = 0;  // complete on time only, not after a number of other completions
    return OpId{entry.user_data};
}

io::Result<OpId> Driver::cancel(OpId target, Token token) noexcept {
    auto prepared = prepare(Kind::cancel, token);
    if (!prepared) return std::unexpected(prepared.error());
    io_uring_sqe& entry = *prepared->entry;
    entry.opcode = IORING_OP_ASYNC_CANCEL;
    entry.fd = -1;
    entry.addr = target.value;
    return OpId{entry.user_data};
}

io::Result<void> Driver::submit_and_wait(unsigned min_complete) noexcept {
    if (auto taken = ring_.submit_and_wait(min_complete); !taken) return std::unexpected(taken.error());
    return {};
}

// [next]
std::optional<Completion> Driver::next() noexcept {
    CompletionQueue& queue = ring_.completion();
    while (const io_uring_cqe* entry = queue.peek()) {
        const std::uint64_t user_data = entry->user_data;
        const std::int32_t result = entry->res;
        const bool more = entry->flags & IORING_CQE_F_MORE;
        queue.advance();  // copied out: the kernel may reuse the entry now
        const auto index = static_cast<std::uint32_t>(user_data);
        if (user_data == kUnowned || index >= slots_.size() || slots_[index].generation != user_data >> 32) continue;
        Slot& slot = slots_[index];
        Completion completion;
        completion.token = slot.token;
        completion.result = static_cast<std::size_t>(result);
        if (result < 0) completion.result = std::unexpected(std::error_code(-result, std::system_category()));
        if (slot.kind == Kind::accept && result >= 0) completion.accepted = sys::OwnedFd(result);
        completion.more = more;
        if (!more) {  // the operation is over: its buffer goes back to its owner
            if (slot.kind == Kind::recv && result >= 0) slot.buffer.set_len(static_cast<std::size_t>(result));
            completion.buffer = std::move(slot.buffer);
            release(index);
        }
        return completion;
    }
    return std::nullopt;
}
// [next]

}  // namespace metalio::uring
