/// @file
/// Driver: the completion API, operations with owned buffers over one Ring.
#pragma once

#include <linux/time_types.h>

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
        __kernel_timespec duration{};  // a timeout's: read by the kernel at submission
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
    std::deque<Slot> slots_;  // a deque: a slot never moves while the kernel may read it
    std::vector<std::uint32_t> free_;
    std::size_t in_flight_ = 0;
};
// [driver]

}  // namespace metalio::uring
