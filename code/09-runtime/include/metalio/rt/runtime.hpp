/// @file
/// Runtime: executor, reactor and timers behind block_on and spawn.
#pragma once

#include <memory>
#include <type_traits>

#include "metalio/io.hpp"
#include "metalio/rt/context.hpp"
#include "metalio/rt/error.hpp"
#include "metalio/rt/executor.hpp"
#include "metalio/rt/handle.hpp"
#include "metalio/rt/join_handle.hpp"
#include "metalio/rt/spawn.hpp"
#include "metalio/rt/task.hpp"

namespace metalio::rt {

// [runtime]
/// A single-threaded coroutine runtime over one Poll: tokio's
/// `Runtime` with the `current_thread` flavour.
///
/// block_on() runs a task (and everything spawned) until that task
/// finishes. Each turn of its loop runs the queued tasks once, then polls
/// the reactor for at most the time to the next deadline (zero if a task
/// is queued), then fires the timers that are due. Tasks spawned and
/// still parked when block_on returns stay; they run in the next
/// block_on, or are destroyed with the Runtime (their fds closed, no frame
/// leaked). Movable; a moved-from Runtime refuses block_on
/// (Errc::no_runtime) and drops what is spawned on it. Not thread-safe
/// except through handle().
/// Introduced in chapter 09 (runtime).
class Runtime {
public:
    /// Creates the Poll, its Waker, the timers and the executor.
    static io::Result<Runtime> create();

    /// Takes over @p other's runtime (tasks, sockets, timers).
    Runtime(Runtime&& other) noexcept;
    /// Destroys this runtime, then takes over @p other's.
    Runtime& operator=(Runtime&& other) noexcept;
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;
    /// Closes the Handles, destroys every unfinished task, closes the Poll.
    ~Runtime();

    /// Hands @p task to the executor; it starts at the next turn of a
    /// block_on. From inside a task, rt::spawn() does the same. A
    /// moved-from runtime drops the task and gives an empty handle.
    template <class T>
    JoinHandle<T> spawn(Task<T> task) {
        Executor* executor = this->executor();
        if (executor == nullptr) return {};
        return executor->spawn(std::move(task));
    }

    /// How many spawned tasks ended with an exception that nobody took
    /// (each also reported on stderr when it happened).
    [[nodiscard]] std::size_t unhandled_exceptions() const noexcept;

    /// Runs @p task to its end on this thread and returns its value.
    /// Errc::nested_block_on if called from inside a task; an error of
    /// Poll::poll (other than EINTR) ends the loop with that error.
    template <class T>
    io::Result<T> block_on(Task<T> task) {
        if (!task) return std::unexpected(make_error_code(std::errc::invalid_argument));
        if (auto ran = run_until(task.frame().promise(), task.frame()); !ran) return std::unexpected(ran.error());
        return take_result(task);  // rethrows an exception that ended the task
    }

    /// A Handle for other threads to spawn on this runtime.
    [[nodiscard]] Handle handle() const;

private:
    struct Core;
    explicit Runtime(std::unique_ptr<Core> core) noexcept;
    io::Result<void> run_until(PromiseBase& root, std::coroutine_handle<> frame);
    Executor* executor() noexcept;

    std::unique_ptr<Core> core_;
};
// [runtime]

}  // namespace metalio::rt
