/// @file
/// JoinHandle<T>: what spawning gives back: await the task, or abort it.
#pragma once

#include <coroutine>
#include <type_traits>
#include <utility>

#include "metalio/io.hpp"
#include "metalio/rt/error.hpp"
#include "metalio/rt/task.hpp"
#include "metalio/rt/wait_list.hpp"

namespace metalio::rt {

// [join-handle-base]
/// What every JoinHandle<T> holds, whatever T: the spawned frame, and why
/// it is gone if it is. The frame stays the executor's; the handle and the
/// promise point at each other (the promise's `join`), so each can tell
/// the other when it goes first:
///
/// - the handle dropped while the task runs: the task is detached (it
///   goes on, and its frame is freed when it ends, as if never joined);
/// - the task ends while the handle lives: its frame, holding the result,
///   stays until the handle is awaited or dropped;
/// - the frame destroyed first (aborted, or its runtime destroyed): the
///   promise's destructor tells the handle, which then reports
///   Errc::aborted or Errc::runtime_closed.
///
/// Single-threaded, like the runtime: use a handle on its runtime's thread.
/// Introduced in chapter 09 (runtime).
class JoinHandleBase {
public:
    /// Asks the task to end at its next suspension point (tokio's
    /// `JoinHandle::abort`): the executor destroys its frame where it is
    /// parked, with every awaiter and local in it, on its next turn. A task
    /// that already finished keeps its result; an empty handle ignores it.
    void abort() noexcept;
    /// True once the task ran to its end (its result is waiting here).
    [[nodiscard]] bool is_finished() const noexcept { return frame_ && frame_.done(); }
    /// True while the handle refers to a task (it was not awaited, moved
    /// from, or made empty).
    explicit operator bool() const noexcept { return static_cast<bool>(frame_) || ended_ != Errc{}; }

protected:
    /// An empty handle.
    JoinHandleBase() noexcept = default;
    /// Refers to the spawned @p frame, whose promise is @p promise.
    JoinHandleBase(std::coroutine_handle<> frame, PromiseBase& promise) noexcept : frame_(frame), promise_(&promise) {
        promise.join = this;
    }
    /// Takes over @p other's task (the promise now points here).
    JoinHandleBase(JoinHandleBase&& other) noexcept { take_over(other); }
    /// Lets go of this handle's task, then takes over @p other's.
    JoinHandleBase& operator=(JoinHandleBase&& other) noexcept {
        if (this != &other) {
            let_go();
            take_over(other);
        }
        return *this;
    }
    /// Lets go of the task (see let_go()).
    ~JoinHandleBase() { let_go(); }

    /// Detaches a running task, or frees a finished one's frame; the
    /// handle is empty afterwards.
    void let_go() noexcept;

    std::coroutine_handle<> frame_;   ///< The spawned frame, while it exists.
    PromiseBase* promise_ = nullptr;  ///< Its promise.
    Errc ended_{};                    ///< Why the frame is gone, if it went first.

private:
    friend class PromiseBase;
    void take_over(JoinHandleBase& other) noexcept {
        frame_ = std::exchange(other.frame_, {});
        promise_ = std::exchange(other.promise_, nullptr);
        ended_ = std::exchange(other.ended_, Errc{});
        if (promise_ != nullptr) promise_->join = this;
    }
};
// [join-handle-base]

// [join-handle]
/// The handle of a spawned task returning @p T: tokio's `JoinHandle`.
///
/// `co_await std::move(handle)` suspends until the task ends and gives its
/// `co_return` value, or rethrows the exception that ended it (as tokio's
/// gives the panic); a task aborted before it finished gives
/// Errc::aborted, one whose runtime was destroyed Errc::runtime_closed.
/// Awaiting consumes the handle. Dropping the handle detaches the task.
/// Move-only; not movable while awaited. Introduced in chapter 09.
template <class T>
class JoinHandle : public JoinHandleBase {
public:
    /// An empty handle (awaiting it gives std::errc::invalid_argument).
    JoinHandle() noexcept = default;
    /// Refers to the spawned @p frame (Executor::spawn makes it).
    explicit JoinHandle(std::coroutine_handle<Promise<T>> frame) noexcept : JoinHandleBase(frame, frame.promise()) {}

    /// Awaiting the handle: suspend until the task ends or is aborted.
    struct Awaiter {
        JoinHandle* handle;   ///< The awaited handle.
        Waiter waiter{};      ///< Linked in the task's `joiners` while suspended.
        /// Ready when the task finished or its frame is gone.
        [[nodiscard]] bool await_ready() const noexcept { return !handle->frame_ || handle->frame_.done(); }
        /// Waits in the task's list of joiners.
        void await_suspend(std::coroutine_handle<> caller) noexcept {
            waiter.handle = caller;
            handle->promise_->joiners.push_back(waiter);
        }
        /// The task's value, its exception rethrown, or why it has none.
        io::Result<T> await_resume() { return handle->take(); }
    };
    /// @cond
    // `co_await std::move(handle)` (hidden from the API pages: Sphinx
    // cannot parse the name of this operator).
    Awaiter operator co_await() && noexcept { return Awaiter{this}; }
    /// @endcond

private:
    io::Result<T> take() {
        if (!frame_) {
            if (ended_ == Errc{}) return std::unexpected(make_error_code(std::errc::invalid_argument));
            return std::unexpected(make_error_code(std::exchange(ended_, Errc{})));
        }
        // Frees the frame on the way out, whether take() returns or throws.
        struct LetGo {
            JoinHandle& self;
            ~LetGo() { self.let_go(); }
        } let_go_after{*this};
        auto& promise = std::coroutine_handle<Promise<T>>::from_address(frame_.address()).promise();
        if constexpr (std::is_void_v<T>) {
            promise.take();
            return {};
        } else {
            return promise.take();
        }
    }
};
// [join-handle]

}  // namespace metalio::rt
