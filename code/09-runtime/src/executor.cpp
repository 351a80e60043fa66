#include "metalio/rt/executor.hpp"

#include <cstdio>
#include <exception>
#include <vector>

#include "metalio/rt/context.hpp"
#include "metalio/rt/coop.hpp"

namespace metalio::rt {

constinit thread_local std::uint32_t Budget::remaining_ = Budget::kUnlimited;

// [finish]
std::coroutine_handle<> PromiseBase::finish(std::coroutine_handle<> self) noexcept {
    if (inline_start) return std::noop_coroutine();  // back into Task::Awaiter::await_suspend
    if (owner == nullptr) return continuation;
    // A spawned task: nobody awaits it, so nobody could catch what ended
    // it; say so, and go on with the other tasks. The frame is suspended
    // at its final point, so destroying it here is allowed; then give the
    // thread back to whoever resumed us (the executor's loop).
    if (exception) owner->report(exception);
    owner->retire(self);
    return std::noop_coroutine();
}
// [finish]

Executor::~Executor() {
    // Frames parked on sockets or timers are destroyed here; their awaiters
    // unlink themselves, their locals (streams, buffers) are freed.
    std::vector<void*> frames(tasks_.begin(), tasks_.end());
    tasks_.clear();
    for (void* frame : frames) std::coroutine_handle<>::from_address(frame).destroy();
}

void Executor::spawn(Task<void> task) {
    auto frame = task.release();
    if (!frame) return;
    frame.promise().owner = this;
    frame.promise().start.handle = frame;
    tasks_.insert(frame.address());
    schedule(frame.promise().start);
}

void Executor::report(const std::exception_ptr& exception) noexcept {
    ++unhandled_exceptions_;
    try {
        std::rethrow_exception(exception);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "metalio::rt: a spawned task ended with an exception: %s\n", error.what());
    } catch (...) {
        std::fprintf(stderr, "metalio::rt: a spawned task ended with an exception\n");
    }
}

void Executor::retire(std::coroutine_handle<> frame) noexcept {
    tasks_.erase(frame.address());
    frame.destroy();
}

// [run-once]
void Executor::run_once() {
    if (run_queue_.empty()) return;
    // A marker at the end of what is queued now: what the tasks queue while
    // they run goes behind it, for the next pass. A waiter may also vanish
    // while we run (its frame destroyed by a task that ran before it): it
    // unlinks itself, pop_front never sees it.
    run_queue_.push_back(end_of_pass_);
    while (Waiter* waiter = run_queue_.pop_front()) {
        if (waiter == &end_of_pass_) break;
        Budget::refill();  // each task run gets its own budget
        waiter->run();
    }
    Budget::unconstrain();
}
// [run-once]

bool YieldNow::await_ready() const noexcept { return Context::current() == nullptr; }

void YieldNow::await_suspend(std::coroutine_handle<> caller) noexcept {
    waiter_.handle = caller;
    Context::current()->executor.schedule(waiter_);
}

}  // namespace metalio::rt
