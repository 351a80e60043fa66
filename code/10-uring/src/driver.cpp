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
    if (durations_.size() <= prepared->index) durations_.resize(slots_.size());
    __kernel_timespec& duration = durations_[prepared->index];
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(after);
    duration = {.tv_sec = seconds.count(), .tv_nsec = (after - seconds).count()};
    io_uring_sqe& entry = *prepared->entry;
    entry.opcode = IORING_OP_TIMEOUT;
    entry.fd = -1;
    entry.addr = reinterpret_cast<std::uintptr_t>(&duration);
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

}  // namespace metalio::uring
