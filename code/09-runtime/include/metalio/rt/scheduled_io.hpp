/// @file
/// ScheduledIo: the readiness of one registered source, per direction.
#pragma once

#include <cstdint>

#include "metalio/event.hpp"
#include "metalio/rt/executor.hpp"
#include "metalio/rt/wait_list.hpp"

namespace metalio::rt {

class Reactor;
class Registration;

/// The two directions a task can wait on.
enum class Direction {
    Read,   ///< Readable, read-closed or error.
    Write,  ///< Writable, write-closed or error.
};

// [scheduled-io]
/// What the reactor knows about one registered source: is it (as far as we
/// know) readable, is it writable, and which tasks wait for each.
/// tokio's `ScheduledIo`, without its atomics and ticks: everything here
/// happens on the runtime's thread.
///
/// Readiness starts set in both directions (try the operation first; the
/// kernel says WouldBlock if it was too early). A task whose operation
/// returns WouldBlock calls clear() and awaits ready(); an event sets the
/// bits and moves exactly the tasks of the matching direction to the run
/// queue. Events are dispatched between task runs, never during one, so a
/// clear() cannot swallow an event that arrived after the operation.
///
/// A closed half (or an error) is for ever: clear() does not forget it.
/// Otherwise a read that returned the last bytes before end-of-file, short
/// and so clearing readiness, would park for an edge that already came.
///
/// A record lives in the reactor's slab (Reactor::add) at an address that
/// never changes, and is used again by later sources. Its generation tells
/// the uses apart: the reactor's token carries it, and an operation keeps
/// the one it started under, so neither a late event nor a late waiter can
/// reach the next source that gets the same record. The I/O object that owns
/// the source is found through owner(), which the object updates when it
/// moves: an operation parked on a stream that moves goes on with the
/// stream at its new address. Introduced in chapter 09 (runtime).
class ScheduledIo {
public:
    /// A source of @p reactor, ready both ways until told otherwise;
    /// @p index is its place in the reactor's slab.
    explicit ScheduledIo(Reactor& reactor, std::uint32_t index = 0) noexcept : reactor_(&reactor), index_(index) {}
    ScheduledIo(const ScheduledIo&) = delete;
    ScheduledIo& operator=(const ScheduledIo&) = delete;

    /// True unless the last operation in @p direction returned WouldBlock
    /// (or a short read) and no event came since.
    [[nodiscard]] bool is_ready(Direction direction) const noexcept {
        return (ready_ & (direction == Direction::Read ? kReadable | kReadClosed : kWritable | kWriteClosed)) != 0;
    }
    /// Forgets the readiness of @p direction (not a closed half): the next
    /// ready() parks.
    void clear(Direction direction) noexcept { ready_ &= direction == Direction::Read ? ~kReadable : ~kWritable; }
    /// Parks @p waiter on @p direction's list until an event in that
    /// direction (Ready and IoOperation do this after a WouldBlock).
    void park(Direction direction, Waiter& waiter) noexcept { waiters(direction).push_back(waiter); }
    /// The reactor that delivers this source's events.
    [[nodiscard]] Reactor& reactor() const noexcept { return *reactor_; }

    /// Which use of this record this is: changes when the source is
    /// deregistered (retire()), so whoever kept an older one knows.
    [[nodiscard]] std::uint32_t generation() const noexcept { return generation_; }
    /// The record's place in the reactor's slab.
    [[nodiscard]] std::uint32_t index() const noexcept { return index_; }
    /// The I/O object (a TcpStream, a TcpListener) that owns the source, as
    /// its type @p T; nullptr once it is gone.
    template <class T>
    [[nodiscard]] T* owner() const noexcept {
        return static_cast<T*>(owner_);
    }
    /// Records where the owning I/O object lives now (after a move).
    void set_owner(void* owner) noexcept { owner_ = owner; }

    /// Ends this use of the record (the source was deregistered): a new
    /// generation, no owner, no readiness, and every waiter moved to
    /// @p orphans, from where the reactor wakes them at its next turn (each
    /// then sees the new generation and gives Errc::io_closed).
    void retire(WaitList& orphans) noexcept {
        generation_ = (generation_ + 1) & kGenerationMask;
        owner_ = nullptr;
        registration_ = nullptr;
        ready_ = 0;
        orphans.splice_back(readers_);
        orphans.splice_back(writers_);
    }
    /// Makes the record ready both ways again, for its next source.
    void reuse() noexcept { ready_ = kReadable | kWritable; }
    /// Generations wrap within 31 bits: a token (generation, index) is then
    /// never the Waker's all-ones token.
    static constexpr std::uint32_t kGenerationMask = 0x7fff'ffff;

    /// Awaits readiness in one direction (see ready()).
    class Ready {
    public:
        /// Waits on @p io in @p direction.
        Ready(ScheduledIo& io, Direction direction) noexcept : io_(io), direction_(direction) {}
        /// No suspension while the direction is still ready.
        [[nodiscard]] bool await_ready() const noexcept { return io_.is_ready(direction_); }
        /// Parks the caller on the direction's list.
        void await_suspend(std::coroutine_handle<> caller) noexcept {
            waiter_.handle = caller;
            io_.park(direction_, waiter_);
        }
        /// Nothing to return: readiness is a hint, the caller retries.
        void await_resume() const noexcept {}

    private:
        ScheduledIo& io_;
        Direction direction_;
        Waiter waiter_;  // unlinks itself if the awaiting task is cancelled
    };
    /// `co_await io.ready(Direction::Read)`: returns at once if readable,
    /// else parks until the reactor sees a read event.
    [[nodiscard]] Ready ready(Direction direction) noexcept { return Ready(*this, direction); }

    /// Called by the reactor for each event of this source: sets readiness
    /// and queues on @p executor exactly the tasks waiting on each direction
    /// that fired.
    void set_readiness(const Event& event, Executor& executor) noexcept {
        const bool error = event.is_error();
        const bool read_closed = error || event.is_read_closed();
        const bool write_closed = error || event.is_write_closed();
        if (read_closed) ready_ |= kReadClosed;
        if (write_closed) ready_ |= kWriteClosed;
        if (read_closed || event.is_readable()) {
            ready_ |= kReadable;
            executor.schedule_all(readers_);
        }
        if (write_closed || event.is_writable()) {
            ready_ |= kWritable;
            executor.schedule_all(writers_);
        }
    }

private:
    /// @cond
    friend class Reactor;       // keeps the free and pending lists
    friend class Registration;  // keeps registration_ current when it moves
    /// @endcond
    WaitList& waiters(Direction direction) noexcept { return direction == Direction::Read ? readers_ : writers_; }

    Reactor* reactor_;
    void* owner_ = nullptr;
    Registration* registration_ = nullptr;  // the one that holds this record, if any
    ScheduledIo* next_ = nullptr;           // in the reactor's free or pending list
    std::uint32_t index_;
    std::uint32_t generation_ = 0;
    // Readiness, one bit each, so that is_ready() of a direction is one
    // test. The closed bits are sticky: end-of-file, the peer gone, or an
    // error seen.
    static constexpr unsigned kReadable = 1U, kReadClosed = 2U, kWritable = 4U, kWriteClosed = 8U;
    unsigned ready_ = kReadable | kWritable;
    WaitList readers_;
    WaitList writers_;
};
// [scheduled-io]

}  // namespace metalio::rt
