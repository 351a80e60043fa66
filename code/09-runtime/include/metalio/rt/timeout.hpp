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
/// Awaits @p operation (a Task or an IoOperation) for at most @p duration
/// (tokio's `time::timeout`). Its value if it finished first;
/// `std::errc::timed_out` if the deadline came first, and then @p operation
/// has been cancelled: destroyed where it was parked. A cancelled read read
/// nothing, so the stream stays usable. For an @p operation that itself
/// returns an io::Result, the value is an io::Result of an io::Result
/// (tokio: `Result<Result<T, E>, Elapsed>`).
/// Introduced in chapter 09 (runtime).
template <class Operation, class T = OutputOf<Operation>>
Task<io::Result<T>> timeout(std::chrono::nanoseconds duration, Operation operation) {
    auto first = co_await select(std::move(operation), sleep_for(duration));
    if (first.index() == 1) co_return std::unexpected(std::make_error_code(std::errc::timed_out));
    if constexpr (std::is_void_v<T>) {
        co_return io::Result<void>{};
    } else {
        co_return io::Result<T>(std::in_place, std::move(std::get<0>(first)));
    }
}
// [timeout]

}  // namespace metalio::rt
