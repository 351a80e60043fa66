/// @file
/// Reactor: turns Poll events into runnable tasks.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "metalio/poll.hpp"
#include "metalio/rt/executor.hpp"
#include "metalio/rt/scheduled_io.hpp"

namespace metalio::rt {

// [reactor]
/// The I/O driver: owns the Poll, registers each source once, and after
/// each poll moves the tasks that waited for what happened to the run
/// queue. tokio's `runtime::io::Driver`.
///
/// A source is registered for READABLE | WRITABLE, edge-triggered, for its
/// whole life, under a token that is the address of its ScheduledIo: an
/// event finds its waiters without a lookup. That is safe because events
/// are dispatched right after the poll that returned them, before any task
/// runs and could drop a source. Not movable (ScheduledIo points back to
/// it). Introduced in chapter 09 (runtime).
class Reactor {
public:
    /// The token the runtime's Waker uses (no ScheduledIo has this address).
    static constexpr Token kWakeToken{~std::size_t{0}};

    /// Drives @p poll, which it now owns.
    explicit Reactor(Poll poll);
    Reactor(const Reactor&) = delete;
    Reactor& operator=(const Reactor&) = delete;

    /// Registers @p source once, for both directions, and returns the
    /// readiness record its awaitables use. The record must outlive the
    /// registration: the I/O types keep both together and drop the source
    /// first (closing the fd ends its epoll registration; with poll(2) the
    /// source deregisters itself).
    template <class S>
        requires Source<S>
    io::Result<std::unique_ptr<ScheduledIo>> add(const S& source) {
        auto io = std::make_unique<ScheduledIo>(*this);
        const Token token{reinterpret_cast<std::size_t>(io.get())};
        auto registered = poll_.registry().register_(source, token, Interest::READABLE | Interest::WRITABLE);
        if (!registered) return std::unexpected(registered.error());
        return io;
    }

    /// Polls once (for at most @p timeout; nullopt: until something
    /// happens) and queues the tasks whose directions fired on @p executor.
    /// Returns true if the Waker's token was among the events.
    io::Result<bool> turn(std::optional<std::chrono::nanoseconds> timeout, Executor& executor);

    /// The registry, e.g. to create the runtime's Waker.
    [[nodiscard]] const Registry& registry() const noexcept { return poll_.registry(); }

private:
    Poll poll_;
    Events events_;
};
// [reactor]

}  // namespace metalio::rt
