/// @file
/// Task<T>: a lazily started coroutine that owns its frame.
#pragma once

#include <coroutine>
#include <cstddef>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "metalio/io.hpp"
#include "metalio/rt/frame_pool.hpp"
#include "metalio/rt/wait_list.hpp"

namespace metalio::rt {

template <class T>
class Task;

class Executor;
class JoinHandleBase;

/// What every Task's promise holds, whatever the result type.
/// Introduced in chapter 09 (runtime).
class PromiseBase {
public:
    /// Tasks are lazy: nothing runs until the task is awaited or spawned.
    std::suspend_always initial_suspend() const noexcept { return {}; }

    /// At the end a task hands the thread to whoever awaited it (symmetric
    /// transfer), returns to the awaiter that started it if it never
    /// suspended, or, if it was spawned, tells the executor, which frees
    /// the frame.
    struct FinalAwaiter {
        /// Always suspends: the frame stays until its owner destroys it.
        bool await_ready() const noexcept { return false; }
        /// Continues the awaiting coroutine, or retires a spawned task.
        template <class Promise>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) const noexcept {
            return self.promise().finish(self);
        }
        /// Never resumed.
        void await_resume() const noexcept {}
    };
    /// See FinalAwaiter.
    FinalAwaiter final_suspend() const noexcept { return {}; }

    /// Frames come from the FramePool (the compiler calls these two).
    static void* operator new(std::size_t size) { return FramePool::allocate(size); }
    /// Gives a frame back to the FramePool.
    static void operator delete(void* frame, std::size_t size) noexcept { FramePool::deallocate(frame, size); }

    /// An exception escaping the task's body is kept, as tokio catches a
    /// task's panic: the awaiter of the task (or of its JoinHandle) gets it
    /// rethrown (take()), block_on rethrows the root task's, and the
    /// executor reports one that nobody takes (a detached task's) on
    /// stderr and counts it instead of ending the program.
    void unhandled_exception() noexcept { exception = std::current_exception(); }
    /// What escaped the body, if anything (see unhandled_exception()).
    std::exception_ptr exception;

    /// Who resumes when this task finishes (set when it is awaited).
    std::coroutine_handle<> continuation = std::noop_coroutine();
    /// A Waiter that knows its promise: the executor queues it for the
    /// task's first run, and again to carry out JoinHandle::abort().
    struct StartWaiter : Waiter {
        PromiseBase* promise = nullptr;  ///< The promise this waiter belongs to.
    };
    /// Queues this task's first run on the executor (spawn, select), and
    /// its abort.
    StartWaiter start;
    /// Set for a spawned task: the executor that owns (and frees) the frame.
    Executor* owner = nullptr;
    /// The JoinHandle of a spawned task, while one refers to it (it moves
    /// with the handle; nullptr once the handle is dropped: detached).
    JoinHandleBase* join = nullptr;
    /// The coroutines awaiting that JoinHandle, queued when the task ends
    /// or is aborted.
    WaitList joiners;
    /// True once JoinHandle::abort() asked for the task to end.
    bool aborted = false;
    /// True while the awaiter that started the task is still on the stack
    /// (Task::Awaiter::await_suspend): finishing then just returns to it.
    bool inline_start = false;

    /// Called at the final suspend point: the next coroutine to run.
    std::coroutine_handle<> finish(std::coroutine_handle<> self) noexcept;

    PromiseBase() noexcept = default;
    PromiseBase(const PromiseBase&) = delete;
    PromiseBase& operator=(const PromiseBase&) = delete;
    /// A frame destroyed while its JoinHandle still refers to it (aborted,
    /// or its runtime destroyed) tells the handle why.
    ~PromiseBase() {
        if (join != nullptr) forget_join();
    }

private:
    void forget_join() noexcept;
};

/// The promise of a Task<T>: keeps the value until the awaiter takes it.
/// (Promise<void> has return_void() instead, and nothing to take.)
/// Introduced in chapter 09 (runtime).
template <class T>
class Promise : public PromiseBase {
public:
    /// The Task that owns this frame.
    Task<T> get_return_object() noexcept;
    /// `co_return value;`
    void return_value(T value) noexcept(std::is_nothrow_move_constructible_v<T>) { value_.emplace(std::move(value)); }
    /// Moves the value out (once, after the task finished), or rethrows
    /// the exception that ended the task (once: it is then taken).
    T take() {
        if (exception) std::rethrow_exception(std::exchange(exception, nullptr));
        return std::move(*value_);
    }

private:
    std::optional<T> value_;
};

/// @cond
// The promise of a Task<void>: return_void() instead of return_value(),
// nothing to take. (Hidden from the API pages, which show Promise<T>.)
template <>
class Promise<void> : public PromiseBase {
public:
    /// The Task that owns this frame.
    Task<void> get_return_object() noexcept;
    /// `co_return;` or falling off the end.
    void return_void() const noexcept {}
    /// Nothing to take, but the exception that ended the task, if any.
    void take() {
        if (exception) std::rethrow_exception(std::exchange(exception, nullptr));
    }
};
/// @endcond

// [task]
/// A coroutine returning @p T, started lazily, owning its frame: the C++
/// counterpart of a Rust `async fn`'s future.
///
/// `co_await task` starts it and suspends the caller until it finishes;
/// the caller's frame holds the Task, so the child frame is destroyed with
/// the caller's. Destroying a Task that is suspended somewhere (parked on a
/// socket, sleeping) destroys its frame and with it every awaiter inside,
/// which unlink themselves: that is how select() and timeout() cancel the
/// losing branch. Move-only. Introduced in chapter 09 (runtime).
template <class T>
class Task {
public:
    /// The promise type the compiler uses for coroutines returning Task<T>.
    using promise_type = Promise<T>;
    /// What `co_await` on this task gives.
    using value_type = T;

    /// An empty task (owns no frame).
    Task() noexcept = default;
    /// Takes over @p other's frame.
    Task(Task&& other) noexcept : frame_(std::exchange(other.frame_, {})) {}
    /// Destroys this task's frame, then takes over @p other's.
    Task& operator=(Task&& other) noexcept {
        if (this != &other) {
            reset();
            frame_ = std::exchange(other.frame_, {});
        }
        return *this;
    }
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    /// Destroys the frame (cancelling the task if it has not finished).
    ~Task() { reset(); }

    /// True if the task ran to its end.
    [[nodiscard]] bool done() const noexcept { return frame_ && frame_.done(); }
    /// True if this Task owns a frame.
    explicit operator bool() const noexcept { return static_cast<bool>(frame_); }

    /// Awaiting a task: start it, resume the caller when it finishes,
    /// give the caller its value.
    struct Awaiter {
        std::coroutine_handle<Promise<T>> frame;  ///< The task being awaited.
        /// Never ready before it ran: tasks are lazy.
        bool await_ready() const noexcept { return false; }
        /// Runs the task right here, on this stack. If it finishes without
        /// suspending, the caller goes on at once (false: do not suspend);
        /// otherwise the task resumes the caller when it ends. Resuming the
        /// caller from the task's end only when it really suspended keeps
        /// a loop of quick awaits from growing the stack even where the
        /// compiler does not turn symmetric transfer into a tail call
        /// (g++ at -O0).
        bool await_suspend(std::coroutine_handle<> caller) const {
            PromiseBase& promise = frame.promise();
            promise.continuation = caller;
            promise.inline_start = true;
            frame.resume();
            promise.inline_start = false;
            return !frame.done();
        }
        /// The task's `co_return` value.
        T await_resume() const { return frame.promise().take(); }
    };
    /// @cond
    // `co_await std::move(task)` or `co_await make_task()` (hidden from the
    // API pages: Sphinx cannot parse the name of this operator).
    Awaiter operator co_await() && noexcept { return Awaiter{frame_}; }
    /// @endcond

    /// The frame, still owned by this Task (for the executor and combinators).
    [[nodiscard]] std::coroutine_handle<Promise<T>> frame() const noexcept { return frame_; }
    /// Gives the frame up: the caller now owns it (Executor::spawn does).
    [[nodiscard]] std::coroutine_handle<Promise<T>> release() noexcept { return std::exchange(frame_, {}); }

private:
    friend class Promise<T>;
    explicit Task(std::coroutine_handle<Promise<T>> frame) noexcept : frame_(frame) {}
    void reset() noexcept {
        if (frame_) std::exchange(frame_, {}).destroy();
    }

    std::coroutine_handle<Promise<T>> frame_;
};
// [task]

template <class T>
Task<T> Promise<T>::get_return_object() noexcept {
    return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}

inline Task<void> Promise<void>::get_return_object() noexcept {
    return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}

/// The result of @p task, which has finished: its value, or its exception
/// rethrown. How every runtime's block_on ends.
template <class T>
io::Result<T> take_result(Task<T>& task) {
    if constexpr (std::is_void_v<T>) {
        task.frame().promise().take();
        return {};
    } else {
        return task.frame().promise().take();
    }
}

}  // namespace metalio::rt
