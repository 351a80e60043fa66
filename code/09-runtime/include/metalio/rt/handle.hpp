/// @file
/// Handle: spawns onto a runtime from any thread, through its Waker.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "metalio/rt/task.hpp"
#include "metalio/waker.hpp"

namespace metalio::rt {

// [inject]
/// The one part of a runtime other threads touch: a locked queue of tasks
/// to spawn and the Waker that ends the runtime's poll (tokio's `Inject`
/// queue plus its unpark). Shared by the Runtime and its Handles.
///
/// A push writes the Waker only when the runtime is parked (blocked in its
/// poll, or about to be): a runtime that is running looks at the queue by
/// itself at its next turn (pending()), so a burst of spawns costs it no
/// system call. Introduced in chapter 09 (runtime).
class Inject {
public:
    /// A queue that wakes the runtime through @p waker; without one, a
    /// queue that is closed from the start.
    explicit Inject(std::optional<Waker> waker) : waker_(std::move(waker)) {}

    /// Queues @p task and wakes the runtime if it is parked.
    /// Errc::runtime_closed (and the task is destroyed, never run) once the
    /// runtime is gone.
    io::Result<void> push(Task<void> task);
    /// Everything queued so far, emptying the queue (runtime thread).
    std::vector<Task<void>> take();
    /// True if a task may be queued (runtime thread; a hint, which park()
    /// makes exact before the runtime blocks).
    [[nodiscard]] bool pending() const noexcept { return pending_.load(std::memory_order_relaxed); }
    /// The runtime is about to block in its poll: from now on a push writes
    /// the Waker. False (not parked) if a task is already queued: then the
    /// runtime must not block. Runtime thread.
    [[nodiscard]] bool park() noexcept;
    /// The runtime's poll returned: pushes stop writing the Waker.
    void unpark() noexcept { parked_.store(false, std::memory_order_relaxed); }
    /// Refuses further tasks, destroys queued ones, closes the Waker (and
    /// the descriptors it holds). The Runtime's destructor calls it.
    void close();
    /// How many times a push wrote the Waker.
    [[nodiscard]] std::size_t wakes() const noexcept { return wakes_.load(std::memory_order_relaxed); }

private:
    std::mutex mutex_;
    std::vector<Task<void>> queue_;
    std::optional<Waker> waker_;  // empty once closed
    std::atomic<bool> parked_{false};   // the runtime blocks, or is about to
    std::atomic<bool> pending_{false};  // queue_ is not empty
    std::atomic<std::size_t> wakes_{0};
};
// [inject]

// [handle]
/// A cheap, copyable reference to a Runtime for other threads: tokio's
/// `runtime::Handle`, with only spawn(). The task's frame is made by the
/// calling thread (a coroutine call) and first resumed on the runtime's.
/// Introduced in chapter 09 (runtime).
class Handle {
public:
    /// Queues @p task on the runtime, waking its poll if it is parked.
    /// Thread-safe. Errc::runtime_closed if the runtime was destroyed.
    io::Result<void> spawn(Task<void> task) const { return inject_->push(std::move(task)); }
    /// How many spawns so far had to wake the runtime (its Waker written):
    /// the others found it running. For tests and the curious.
    [[nodiscard]] std::size_t wakes() const noexcept { return inject_->wakes(); }

private:
    friend class Runtime;
    explicit Handle(std::shared_ptr<Inject> inject) noexcept : inject_(std::move(inject)) {}
    std::shared_ptr<Inject> inject_;
};
// [handle]

}  // namespace metalio::rt
