/// @file
/// Reactor: turns Poll events into runnable tasks.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

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
/// whole life. Its readiness record (ScheduledIo) lives in a slab owned
/// here, and its token is the record's (generation, index), never its
/// address: a token that outlives its source (an event the kernel still
/// sends for a file description kept open by a dup, a fork or SCM_RIGHTS)
/// then names an old generation, and turn() drops it and counts it
/// instead of writing into a record that belongs to someone else now.
/// A deregistered record goes back to the slab only at the next turn
/// (tokio's `release_pending_registrations`). Not movable (ScheduledIo
/// points back to it). Introduced in chapter 09 (runtime).
class Reactor {
public:
    /// The token the runtime's Waker uses (no (generation, index) pair is
    /// all ones: generations have 31 bits).
    static constexpr Token kWakeToken{~std::size_t{0}};

    /// Drives @p poll, which it now owns.
    explicit Reactor(Poll poll);
    Reactor(const Reactor&) = delete;
    Reactor& operator=(const Reactor&) = delete;
    /// Tells every Registration still holding a record that it is gone.
    ~Reactor();

    /// Registers @p source once, for both directions, and returns its
    /// readiness record (a slab entry: stable until remove()).
    template <class S>
        requires Source<S>
    io::Result<ScheduledIo*> add(const S& source) {
        ScheduledIo& io = allocate();
        auto registered = poll_.registry().register_(source, token_of(io), Interest::READABLE | Interest::WRITABLE);
        if (!registered) {
            retire(io);
            return std::unexpected(registered.error());
        }
        return &io;
    }

    /// Deregisters @p source and ends the use of its record @p io: tokio's
    /// `Registration::deregister`, called when the I/O object is dropped.
    /// A failure to deregister is ignored: the record's generation changes
    /// anyway, so a late event is dropped (and counted), never delivered.
    template <class S>
        requires Source<S>
    void remove(const S& source, ScheduledIo& io) noexcept {
        (void)poll_.registry().deregister(source);
        retire(io);
    }
    /// Ends the use of @p io without deregistering anything: a new
    /// generation at once; back in the slab at the next turn.
    void retire(ScheduledIo& io) noexcept;

    /// Polls once (for at most @p timeout; nullopt: until something
    /// happens) and queues the tasks whose directions fired on @p executor.
    /// First releases the records retired since the last turn, queueing
    /// their orphaned waiters. Returns true if the Waker's token was among
    /// the events.
    io::Result<bool> turn(std::optional<std::chrono::nanoseconds> timeout, Executor& executor);

    /// The token of @p io's current generation.
    [[nodiscard]] static Token token_of(const ScheduledIo& io) noexcept {
        return Token{(std::size_t{io.generation()} << 32) | io.index()};
    }
    /// How many events named a generation that was over (dropped).
    [[nodiscard]] std::size_t stale_events() const noexcept { return stale_events_; }
    /// How many records the slab holds (in use, pending or free).
    [[nodiscard]] std::size_t slab_size() const noexcept { return slab_.size(); }

    /// The registry, e.g. to create the runtime's Waker.
    [[nodiscard]] const Registry& registry() const noexcept { return poll_.registry(); }

private:
    static_assert(sizeof(std::size_t) >= 8, "a token holds a 31-bit generation and a 32-bit index");
    ScheduledIo& allocate();
    void release_pending(Executor& executor) noexcept;

    Poll poll_;
    Events events_;
    // Each record allocated on its own, so growing the vector never moves
    // one, and an event finds its record with one index (a deque's index
    // costs about 35 instructions per event; make bench).
    std::vector<std::unique_ptr<ScheduledIo>> slab_;
    ScheduledIo* free_ = nullptr;        // records ready for a new source
    ScheduledIo* pending_ = nullptr;     // retired since the last turn
    WaitList orphans_;                   // waiters of retired records
    std::size_t stale_events_ = 0;
};
// [reactor]

}  // namespace metalio::rt
