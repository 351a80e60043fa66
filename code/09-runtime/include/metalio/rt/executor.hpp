/// @file
/// Executor: the run queue and the tasks it owns.
#pragma once

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <unordered_set>

#include "metalio/rt/join_handle.hpp"
#include "metalio/rt/task.hpp"
#include "metalio/rt/wait_list.hpp"

namespace metalio::rt {

// [executor]
/// Runs coroutines on one thread: a FIFO run queue of Waiters, and the
/// frames of spawned tasks (tokio's `current_thread` scheduler, without
/// the I/O and time drivers, which are Reactor and Timers).
///
/// A task is queued when it is spawned and whenever something it waited
/// for happens; run_once() resumes what is queued. The executor owns every
/// spawned frame: one that finishes is freed at its final suspend point
/// (or, if its JoinHandle still lives, when the handle lets it go), an
/// aborted one at its next turn, and the destructor frees the ones still
/// parked. Not thread-safe (Handle is the cross-thread door). Not
/// movable: waiters and the thread's Context refer to it. Introduced in
/// chapter 09.
class Executor {
public:
    /// An executor with nothing to run.
    Executor() noexcept = default;
    Executor(const Executor&) = delete;
    Executor& operator=(const Executor&) = delete;
    /// Destroys every spawned frame that has not finished (cancelling it).
    ~Executor();

    /// Takes ownership of @p task and queues its first run. The handle
    /// awaits or aborts it; dropping the handle detaches the task.
    template <class T>
    JoinHandle<T> spawn(Task<T> task) {
        auto frame = task.release();
        if (!frame) return {};
        adopt(frame, frame.promise());
        return JoinHandle<T>(frame);
    }
    /// Queues @p waiter's coroutine to be resumed by run_once().
    void schedule(Waiter& waiter) noexcept { run_queue_.push_back(waiter); }
    /// Queues every waiter of @p waiters, in order, emptying it.
    void schedule_all(WaitList& waiters) noexcept { run_queue_.splice_back(waiters); }
    /// At most this many waiters run between two turns of the reactor
    /// (tokio's `event_interval`).
    static constexpr std::uint32_t kEventInterval = 61;
    /// Resumes, in order, the coroutines queued when the pass began, but
    /// at most kEventInterval of them: a longer pass goes on in the next
    /// call, after the reactor and the timers had their turn. What they
    /// queue runs in the next pass, so busy tasks cannot starve the
    /// reactor and the timers.
    void run_once();
    /// True if something is queued (then the reactor must not block).
    [[nodiscard]] bool has_ready() const noexcept { return !run_queue_.empty(); }
    /// How many spawned frames the executor holds: tasks that have not
    /// finished, and finished ones whose JoinHandle was not awaited yet.
    [[nodiscard]] std::size_t task_count() const noexcept { return tasks_.size(); }
    /// How many spawned tasks ended with an exception that nobody took
    /// (detached, or its JoinHandle dropped unawaited): each was reported
    /// on stderr, and the runtime went on.
    [[nodiscard]] std::size_t unhandled_exceptions() const noexcept { return unhandled_exceptions_; }

private:
    friend class PromiseBase;
    friend class JoinHandleBase;
    void adopt(std::coroutine_handle<> frame, PromiseBase& promise);
    void retire(std::coroutine_handle<> frame) noexcept;
    void report(const std::exception_ptr& exception) noexcept;
    static void run_abort(Waiter& start);

    WaitList run_queue_;
    Waiter end_of_pass_;  // run_once()'s marker; declared after the queue, so it dies first
    std::unordered_set<void*> tasks_;  // frame addresses of spawned tasks
    std::size_t unhandled_exceptions_ = 0;
};
// [executor]

/// Awaitable that puts the calling task at the back of the run queue:
/// `co_await YieldNow{}` lets every other ready task run once (tokio's
/// `task::yield_now`). Outside a runtime it does not suspend.
/// Introduced in chapter 09 (runtime).
class YieldNow {
public:
    /// Suspends only inside a runtime.
    [[nodiscard]] bool await_ready() const noexcept;
    /// Queues the caller behind the tasks already queued.
    void await_suspend(std::coroutine_handle<> caller) noexcept;
    /// Nothing to return.
    void await_resume() const noexcept {}

private:
    Waiter waiter_;
};

}  // namespace metalio::rt
