/// @file
/// timeout(): an operation with a deadline, cancelled when it passes.
#pragma once

#include <chrono>
#include <system_error>
#include <type_traits>

#include "metalio/io.hpp"
#include "metalio/rt/select.hpp"
#include "metalio/rt/task.hpp"
#include "metalio/rt/timers.hpp"

namespace metalio::rt {

// [timeout]
/// Awaits @p operation (a Task or an IoOperation) until @p deadline
/// (tokio's `time::timeout_at`). Its value if it finished first;
/// `std::errc::timed_out` if the deadline came first, and then @p operation
/// has been cancelled: destroyed where it was parked. What that leaves
/// behind is the operation's own "Cancel safety": nothing for a read or an
/// accept, an unknown prefix for a write_all. For an @p operation that
/// itself returns an io::Result, the value is an io::Result of an
/// io::Result (tokio: `Result<Result<T, E>, Elapsed>`).
/// Cancel safety: as safe as @p operation.
/// Introduced in chapter 09 (runtime).
template <class Operation, class T = OutputOf<Operation>>
Task<io::Result<T>> timeout_at(TimePoint deadline, Operation operation) {
    auto first = co_await select(std::move(operation), sleep_until(deadline));
    if (first.index() == 1) co_return std::unexpected(std::make_error_code(std::errc::timed_out));
    if constexpr (std::is_void_v<T>) {
        co_return io::Result<void>{};
    } else {
        co_return io::Result<T>(std::in_place, std::move(std::get<0>(first)));
    }
}
// [timeout]

/// timeout_at() of now + @p duration (tokio's `time::timeout`): the
/// deadline is fixed by this call, not by the task's first run.
template <class Operation, class T = OutputOf<Operation>>
Task<io::Result<T>> timeout(std::chrono::nanoseconds duration, Operation operation) {
    return timeout_at<Operation, T>(Clock::now() + duration, std::move(operation));
}

}  // namespace metalio::rt
