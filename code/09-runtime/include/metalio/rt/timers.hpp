/// @file
/// Timers: deadlines, ordered, and the sleep awaitables built on them.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "metalio/rt/executor.hpp"
#include "metalio/rt/task.hpp"
#include "metalio/rt/wait_list.hpp"

namespace metalio::rt {

/// The clock of every deadline: monotonic, so changing the wall clock
/// neither fires nor delays a timer.
using Clock = std::chrono::steady_clock;
/// A deadline: a point on Clock.
using TimePoint = std::chrono::steady_clock::time_point;

// [timers]
/// The time driver: pending deadlines, each with the task to wake, in a
/// hierarchical timing wheel (tokio's `runtime::time::Wheel`).
///
/// Time is counted in 1 ms ticks from the moment the Timers were made. A
/// deadline is rounded up to a tick, so a sleep never ends early. The wheel
/// has kLevels levels of kSlots slots; a slot of level L spans 64^L ticks.
/// An entry goes to the lowest level whose slot still tells its tick apart
/// from the current one (the highest 6-bit digit in which the two differ),
/// into an intrusive list: insert and cancel are O(1) and allocate nothing.
/// When time reaches a slot of a higher level, its entries move down
/// (cascade) to finer levels; a level-0 slot that comes due fires its
/// entries, in the order they were inserted. A 64-bit mask per level says
/// which slots hold entries, so the next deadline is a few bit operations
/// per level. Not thread-safe. Introduced in chapter 09 (runtime).
class Timers {
public:
    /// The wheel's resolution.
    static constexpr std::chrono::milliseconds kTick{1};
    /// Levels: together 64^6 ms, about two years; a deadline further away
    /// waits in an overflow list until the wheel gets near.
    static constexpr unsigned kLevels = 6;
    /// Slots per level (a 64-bit occupancy mask each).
    static constexpr unsigned kSlots = 64;

    /// The links of an entry in a slot's list (or of the slot's head).
    struct Link {
        Link* prev = nullptr;  ///< The one before (the slot's head if first).
        Link* next = nullptr;  ///< The one after (the slot's head if last).
    };

    /// One pending deadline: lives in the awaiter that waits for it.
    class Entry : private Link {
    public:
        /// An entry in no wheel.
        Entry() noexcept = default;
        Entry(const Entry&) = delete;
        Entry& operator=(const Entry&) = delete;
        /// Cancels the entry if it is still in the wheel.
        ~Entry() { cancel(); }
        /// Takes the entry out of the wheel (and out of the run queue, if
        /// it fired and its task has not run yet). O(1).
        void cancel() noexcept;
        /// The task to wake at the deadline.
        Waiter waiter;

    private:
        friend class Timers;
        Timers* timers_ = nullptr;  // set while in the wheel
        std::uint64_t tick_ = 0;    // the deadline, in ticks
        std::uint8_t level_ = 0;    // where it is now
        std::uint8_t slot_ = 0;
    };

    /// No deadlines; tick 0 is now.
    Timers() noexcept : Timers(Clock::now()) {}
    /// No deadlines; tick 0 is @p origin (tests drive time by hand).
    explicit Timers(TimePoint origin) noexcept;
    Timers(const Timers&) = delete;
    Timers& operator=(const Timers&) = delete;
    /// Takes every entry still in the wheel out of it.
    ~Timers();

    /// Queues @p entry to wake its waiter at @p deadline. O(1).
    void insert(Entry& entry, TimePoint deadline) noexcept;
    /// How long the reactor may sleep from @p now: nullopt with no
    /// deadline, zero if one is due. (When the next event is a cascade,
    /// the reactor wakes for it and sleeps again.)
    [[nodiscard]] std::optional<std::chrono::nanoseconds> next_timeout(TimePoint now) const noexcept;
    /// Queues on @p executor the waiter of every deadline up to @p now, in
    /// tick order. Returns how many fired.
    std::size_t fire(TimePoint now, Executor& executor) noexcept;
    /// How many deadlines are pending.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
    struct Level {
        std::uint64_t occupied = 0;  // bit i: slot i holds entries
        std::array<Link, kSlots> slots;
    };
    // The first tick at or after the current one at which a slot needs
    // attention (fire or cascade), with its level and slot; nullopt if empty.
    struct Due {
        std::uint64_t tick;
        unsigned level;
        unsigned slot;
    };
    [[nodiscard]] std::optional<Due> next_due() const noexcept;
    Link& head(unsigned level, unsigned slot) noexcept;  // level kLevels: the overflow list
    void link(Entry& entry) noexcept;
    void unlink(Entry& entry) noexcept;
    [[nodiscard]] std::uint64_t tick_of(TimePoint time) const noexcept;

    TimePoint origin_;
    std::uint64_t elapsed_ = 0;  // the tick the wheel has advanced to
    std::size_t size_ = 0;
    std::array<Level, kLevels> levels_;
    Link overflow_;  // deadlines beyond the top level's block (over two years)
};
// [timers]

// [sleep]
/// Awaits a deadline on the current runtime's Timers: `co_await
/// Sleep(deadline)`. Ready at once if the deadline has passed. Destroyed
/// while waiting (its task cancelled), it leaves the timer queue.
/// Introduced in chapter 09 (runtime).
class Sleep {
public:
    /// Waits until @p deadline.
    explicit Sleep(TimePoint deadline) noexcept : deadline_(deadline) {}
    /// Ready if the deadline has passed.
    [[nodiscard]] bool await_ready() const noexcept { return deadline_ <= Clock::now(); }
    /// Queues the caller on the running runtime's timers.
    void await_suspend(std::coroutine_handle<> caller);
    /// Nothing to return.
    void await_resume() const noexcept {}

private:
    TimePoint deadline_;
    Timers::Entry entry_;
};
// [sleep]

/// Suspends the calling task until @p deadline (tokio's `time::sleep_until`).
/// Cancel safety: safe (a cancelled sleep leaves the timers).
Task<void> sleep_until(TimePoint deadline);
/// Suspends the calling task for @p duration (tokio's `time::sleep`),
/// counted from this call, not from the task's first run.
/// Cancel safety: safe.
Task<void> sleep_for(std::chrono::nanoseconds duration);

}  // namespace metalio::rt
