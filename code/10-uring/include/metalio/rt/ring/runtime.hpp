/// @file
/// rt::ring::Runtime: stage 09's runtime with the ring as its I/O driver.
#pragma once

#include <memory>
#include <type_traits>

#include "metalio/io.hpp"
#include "metalio/rt/executor.hpp"
#include "metalio/rt/join_handle.hpp"
#include "metalio/rt/spawn.hpp"
#include "metalio/rt/task.hpp"

namespace metalio::rt::ring {

// [runtime]
/// Stage 09's single-threaded runtime with an io_uring ring where it has
/// Poll: the same executor, timers, frame pool, Task, select() and
/// timeout(), and an IoDriver instead of the Reactor. Each turn runs the
/// queued tasks, then makes one io_uring_enter that submits every
/// operation they queued and waits (not at all if a task is runnable, at
/// most until the next deadline), then wakes the tasks whose operations
/// completed and fires the timers that are due.
///
/// Its sockets are rt::ring::TcpListener and rt::ring::TcpStream, which
/// have stage 09's interface; stage 09's own readiness sockets are not
/// driven here. No cross-thread Handle. Movable; a moved-from Runtime
/// refuses block_on (Errc::no_runtime). Introduced in chapter 10 (uring).
class Runtime {
public:
    /// Creates the ring (@p entries submission slots) and the rest. Fails
    /// with a uring::Errc that names why where io_uring is missing or
    /// disabled.
    static io::Result<Runtime> create(unsigned entries = 256);

    /// Takes over @p other's runtime.
    Runtime(Runtime&& other) noexcept;
    /// Destroys this runtime, then takes over @p other's.
    Runtime& operator=(Runtime&& other) noexcept;
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;
    /// Destroys every unfinished task, then the ring, which waits until the
    /// kernel let go of every buffer it was given.
    ~Runtime();

    /// Hands @p task to the executor, as stage 09's Runtime::spawn does
    /// (rt::spawn() does it from a task); a moved-from runtime drops the
    /// task and gives an empty handle.
    template <class T>
    JoinHandle<T> spawn(Task<T> task) {
        Executor* executor = this->executor();
        if (executor == nullptr) return {};
        return executor->spawn(std::move(task));
    }

    /// Runs @p task to its end on this thread and returns its value, as
    /// stage 09's Runtime::block_on does.
    template <class T>
    io::Result<T> block_on(Task<T> task) {
        if (!task) return std::unexpected(make_error_code(std::errc::invalid_argument));
        if (auto ran = run_until(task.frame().promise(), task.frame()); !ran) return std::unexpected(ran.error());
        return take_result(task);  // rethrows an exception that ended the task
    }

    /// How many ring sockets exist, abandoned ones waiting for the kernel
    /// included (tests check that none is left behind).
    [[nodiscard]] std::size_t sockets() const noexcept;

private:
    struct Core;
    explicit Runtime(std::unique_ptr<Core> core) noexcept;
    io::Result<void> run_until(PromiseBase& root, std::coroutine_handle<> frame);
    Executor* executor() noexcept;

    std::unique_ptr<Core> core_;
};
// [runtime]

}  // namespace metalio::rt::ring
