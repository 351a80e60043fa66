/// @file
/// Converting a poll timeout to the milliseconds epoll_wait(2) and poll(2) take.
#pragma once

#include <chrono>
#include <climits>
#include <optional>

#include "metalio/io.hpp"

namespace metalio::sys {

// [timeout]
/// Turns an optional timeout into the `int` milliseconds of epoll_wait/poll.
///
/// - no timeout: -1, wait forever;
/// - zero: 0, check readiness and return at once;
/// - anything else is rounded *up* to whole milliseconds, so 1 µs becomes
///   1 ms and never 0 (a truncating conversion would turn a short timeout
///   into a busy loop);
/// - longer than INT_MAX ms (about 24.8 days) is clamped to INT_MAX;
/// - negative: metalio::Errc::negative_timeout.
///
/// Introduced in chapter 02 (selector).
inline io::Result<int> timeout_to_millis(std::optional<std::chrono::nanoseconds> timeout) noexcept {
    if (!timeout) return -1;
    const auto ns = timeout->count();
    if (ns < 0) return std::unexpected(make_error_code(Errc::negative_timeout));
    // Divide first, then round: adding 999'999 ns first could overflow.
    const auto ms = ns / 1'000'000 + (ns % 1'000'000 != 0 ? 1 : 0);
    return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}
// [timeout]

}  // namespace metalio::sys
