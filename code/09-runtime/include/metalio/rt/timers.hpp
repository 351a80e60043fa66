/// @file
/// Timers: deadlines, ordered, and the sleep awaitables built on them.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
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
/// The time driver: pending deadlines in order, each with the task to wake.
///
/// An ordered tree (std::multimap) keyed by deadline. Insert costs
/// O(log n); cancel erases through the iterator kept in the entry
/// (amortised O(1)); the earliest deadline is begin(), O(1), which is
/// what the runtime asks before every poll. Equal deadlines fire in the
/// order they were inserted. tokio uses a hierarchical timing wheel
/// instead (O(1) insert and cancel, millisecond slots): chapter 09 compares
/// the two. Not thread-safe. Introduced in chapter 09 (runtime).
class Timers {
public:
    /// One pending deadline: lives in the awaiter that waits for it.
    class Entry {
    public:
        /// An entry in no queue.
        Entry() noexcept = default;
        Entry(const Entry&) = delete;
        Entry& operator=(const Entry&) = delete;
        /// Cancels the entry if it is still queued.
        ~Entry() { cancel(); }
        /// Takes the entry out of its queue (and out of the run queue, if
        /// it fired and its task has not run yet).
        void cancel() noexcept;
        /// The task to wake at the deadline.
        Waiter waiter;

    private:
        friend class Timers;
        Timers* timers_ = nullptr;  // set while queued
        std::multimap<TimePoint, Entry*>::iterator position_;
    };

    /// No deadlines.
    Timers() = default;
    Timers(const Timers&) = delete;
    Timers& operator=(const Timers&) = delete;
    /// Cancels every entry still queued.
    ~Timers();

    /// Queues @p entry to wake its waiter at @p deadline.
    void insert(Entry& entry, TimePoint deadline);
    /// How long the reactor may sleep from @p now: nullopt with no
    /// deadline, zero if one has passed.
    [[nodiscard]] std::optional<std::chrono::nanoseconds> next_timeout(TimePoint now) const noexcept;
    /// Queues on @p executor the waiter of every deadline up to @p now, in
    /// deadline order. Returns how many fired.
    std::size_t fire(TimePoint now, Executor& executor) noexcept;
    /// How many deadlines are pending.
    [[nodiscard]] std::size_t size() const noexcept { return queue_.size(); }

private:
    std::multimap<TimePoint, Entry*> queue_;
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
