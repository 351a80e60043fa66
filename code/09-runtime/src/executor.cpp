#include "metalio/rt/executor.hpp"

#include <cstdio>
#include <exception>
#include <utility>

#include "metalio/rt/context.hpp"
#include "metalio/rt/coop.hpp"

namespace metalio::rt {

constinit thread_local std::uint32_t Budget::remaining_ = Budget::kUnlimited;

// [finish]
std::coroutine_handle<> PromiseBase::finish(std::coroutine_handle<> self) noexcept {
    if (inline_start) return std::noop_coroutine();  // back into Task::Awaiter::await_suspend
    if (owner == nullptr) return continuation;
    // A spawned task. While its JoinHandle lives, the frame stays: it holds
    // the result (or the exception) the handle will take; whoever awaits
    // the handle gets its turn now.
    if (join != nullptr) {
        owner->schedule_all(joiners);
        return std::noop_coroutine();
    }
    // Detached: nobody could catch what ended it; say so, and go on with
    // the other tasks. The frame is suspended at its final point, so
    // destroying it here is allowed; then give the thread back to whoever
    // resumed us (the executor's loop).
    if (exception) owner->report(exception);
    owner->retire(self);
    return std::noop_coroutine();
}
// [finish]

// [join]
void JoinHandleBase::let_go() noexcept {
    PromiseBase* promise = std::exchange(promise_, nullptr);
    const std::coroutine_handle<> frame = std::exchange(frame_, {});
    ended_ = Errc{};
    if (promise == nullptr) return;
    promise->join = nullptr;
    if (!frame.done()) return;  // detached: it runs on, and its end frees it
    if (promise->exception) promise->owner->report(promise->exception);  // nobody took it
    promise->owner->retire(frame);
}

void JoinHandleBase::abort() noexcept {
    if (promise_ == nullptr || frame_.done() || promise_->aborted) return;
    // Not here and now: the task may be the caller, or be waiting for it.
    // Its start waiter, queued with another hook, ends it when the executor
    // gets to it, when no part of the task is running.
    promise_->aborted = true;
    promise_->start.on_turn = &Executor::run_abort;
    promise_->owner->schedule(promise_->start);
}

void Executor::run_abort(Waiter& start) {
    PromiseBase& promise = *static_cast<PromiseBase::StartWaiter&>(start).promise;
    const std::coroutine_handle<> frame = start.handle;
    if (frame.done()) return;  // it finished before its turn came: the result stands
    Executor& executor = *promise.owner;
    executor.schedule_all(promise.joiners);
    executor.tasks_.erase(frame.address());
    // Destroying the frame where it is parked destroys its awaiters, which
    // unlink from the reactor, the timers and the run queue, and its
    // locals, which close their sockets; the promise tells the handle.
    frame.destroy();
}

void PromiseBase::forget_join() noexcept {
    join->frame_ = {};
    join->promise_ = nullptr;
    join->ended_ = aborted ? Errc::aborted : Errc::runtime_closed;
    join = nullptr;
}
// [join]

Executor::~Executor() {
    // Frames parked on sockets or timers are destroyed here; their awaiters
    // unlink themselves, their locals (streams, buffers) are freed. One at
    // a time, each out of the set first: a frame's destructor may drop the
    // JoinHandle of another task, which then frees that one itself.
    while (!tasks_.empty()) {
        const auto first = tasks_.begin();
        void* frame = *first;
        tasks_.erase(first);
        std::coroutine_handle<>::from_address(frame).destroy();
    }
}

void Executor::adopt(std::coroutine_handle<> frame, PromiseBase& promise) {
    promise.owner = this;
    promise.start.handle = frame;
    promise.start.promise = &promise;
    tasks_.insert(frame.address());
    schedule(promise.start);
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
    // they run goes behind it, for the next pass. A pass cut short by the
    // event interval leaves the marker where it is, and the next call goes
    // on with it. A waiter may also vanish while we run (its frame
    // destroyed by a task that ran before it): it unlinks itself,
    // pop_front never sees it.
    if (!end_of_pass_.linked()) run_queue_.push_back(end_of_pass_);
    for (std::uint32_t tick = 0; tick < kEventInterval; ++tick) {
        Waiter& waiter = run_queue_.take_front();  // never empty: the marker is in the queue
        if (&waiter == &end_of_pass_) break;
        Budget::refill();  // each task run gets its own budget
        waiter.run();
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
