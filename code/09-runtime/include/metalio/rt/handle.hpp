/// @file
/// Handle: spawns onto a runtime from any thread, through its Waker.
#pragma once

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
/// Introduced in chapter 09 (runtime).
class Inject {
public:
    /// A queue that wakes the runtime through @p waker; without one, a
    /// queue that is closed from the start.
    explicit Inject(std::optional<Waker> waker) : waker_(std::move(waker)) {}

    /// Queues @p task and wakes the runtime. Errc::runtime_closed (and the
    /// task is destroyed, never run) once the runtime is gone.
    io::Result<void> push(Task<void> task);
    /// Everything queued so far, emptying the queue (runtime thread).
    std::vector<Task<void>> take();
    /// Refuses further tasks, destroys queued ones, closes the Waker (and
    /// the descriptors it holds). The Runtime's destructor calls it.
    void close();

private:
    std::mutex mutex_;
    std::vector<Task<void>> queue_;
    std::optional<Waker> waker_;  // empty once closed
};
// [inject]

// [handle]
/// A cheap, copyable reference to a Runtime for other threads: tokio's
/// `runtime::Handle`, with only spawn(). The task's frame is made by the
/// calling thread (a coroutine call) and first resumed on the runtime's.
/// Introduced in chapter 09 (runtime).
class Handle {
public:
    /// Queues @p task on the runtime and wakes its poll. Thread-safe.
    /// Errc::runtime_closed if the runtime was destroyed.
    io::Result<void> spawn(Task<void> task) const { return inject_->push(std::move(task)); }

private:
    friend class Runtime;
    explicit Handle(std::shared_ptr<Inject> inject) noexcept : inject_(std::move(inject)) {}
    std::shared_ptr<Inject> inject_;
};
// [handle]

}  // namespace metalio::rt
