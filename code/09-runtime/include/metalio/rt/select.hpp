/// @file
/// select(): run two tasks, keep the first to finish, cancel the other.
#pragma once

#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>
#include <variant>

#include "metalio/rt/context.hpp"
#include "metalio/rt/executor.hpp"
#include "metalio/rt/task.hpp"

namespace metalio::rt {

/// True for a Task<T>: select() and timeout() take it as it is.
template <class T>
inline constexpr bool kIsTask = false;
/// @cond
template <class T>
inline constexpr bool kIsTask<Task<T>> = true;
/// @endcond

/// @p awaitable as a Task: a Task as it is, an IoOperation (or another
/// awaitable with into_task()) through its into_task().
/// Introduced in chapter 09 (runtime).
template <class Awaitable>
auto as_task(Awaitable awaitable) {
    if constexpr (kIsTask<Awaitable>) {
        return awaitable;
    } else {
        return std::move(awaitable).into_task();
    }
}

/// The Task that as_task() makes of an @p Awaitable.
template <class Awaitable>
using TaskOf = decltype(as_task(std::declval<Awaitable>()));

/// What awaiting that Task gives (`T` of a Task<T>).
template <class Awaitable>
using OutputOf = typename TaskOf<Awaitable>::value_type;

/// The value a Task<T> yields, with `void` spelled std::monostate so that
/// it fits in a std::variant.
template <class T>
using ValueOf = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

// [select]
/// Awaits two tasks at once; the first to finish wins, the other is
/// destroyed where it is parked (cancelled). tokio's `select!` for two
/// branches. Both tasks must own a frame.
///
/// Both are queued on the executor with the awaiting coroutine as their
/// continuation, so whichever ends first resumes it; await_resume() then
/// destroys the loser, whose awaiters unlink themselves from the reactor,
/// the timers or the run queue. Introduced in chapter 09 (runtime).
template <class A, class B>
class Select {
public:
    /// Races @p first against @p second.
    Select(Task<A> first, Task<B> second) noexcept : first_(std::move(first)), second_(std::move(second)) {}

    /// Never ready before both started.
    [[nodiscard]] bool await_ready() const noexcept { return false; }
    /// Queues both tasks; each resumes @p caller when it finishes.
    void await_suspend(std::coroutine_handle<> caller) const {
        Context* context = Context::current();
        // Only a task can await, tasks run only inside block_on; an empty
        // task would never finish: both are programming errors.
        if (context == nullptr || !first_ || !second_) std::terminate();
        start(first_.frame().promise(), first_.frame(), caller, context->executor);
        start(second_.frame().promise(), second_.frame(), caller, context->executor);
    }
    /// Index 0 holds the first task's value, index 1 the second's.
    std::variant<ValueOf<A>, ValueOf<B>> await_resume() {
        if (first_.done()) {
            second_ = {};  // cancel the loser before anything else runs
            return std::variant<ValueOf<A>, ValueOf<B>>(std::in_place_index<0>, take(first_));
        }
        first_ = {};
        return std::variant<ValueOf<A>, ValueOf<B>>(std::in_place_index<1>, take(second_));
    }

private:
    static void start(PromiseBase& promise, std::coroutine_handle<> frame, std::coroutine_handle<> caller,
                      Executor& executor) noexcept {
        promise.continuation = caller;
        promise.start.handle = frame;
        executor.schedule(promise.start);
    }
    template <class T>
    static ValueOf<T> take(Task<T>& task) {
        if constexpr (std::is_void_v<T>) {
            task.frame().promise().take();  // rethrows what ended it, if anything
            return {};
        } else {
            return task.frame().promise().take();
        }
    }

    Task<A> first_;
    Task<B> second_;
};

/// `co_await select(first, second)`: see Select. Either may also be an
/// IoOperation (`stream.read(buffer)`), which as_task() wraps in a Task.
template <class A, class B>
auto select(A first, B second) {
    return Select<OutputOf<A>, OutputOf<B>>(as_task(std::move(first)), as_task(std::move(second)));
}
// [select]

}  // namespace metalio::rt
