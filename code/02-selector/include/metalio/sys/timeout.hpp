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

// [saturate]
/// Converts any `std::chrono::duration` to nanoseconds without overflow, for
/// Poll::poll, which accepts every unit.
///
/// `hours::max()` or `years{400}` do not fit in `nanoseconds` (about 292
/// years): the implicit conversion would overflow a signed integer
/// (undefined behaviour, which UBSan reports) and usually come out negative.
/// Here the size is first judged in `long double`, where nothing
/// overflows. Beyond about 31 years it saturates to `nanoseconds::max()`,
/// which timeout_to_millis() clamps to INT_MAX ms like any other long wait
/// ("as long as the OS allows"); a huge negative one saturates to
/// `nanoseconds::min()` and stays an error. What is left converts exactly,
/// rounded away from zero so that a non-zero duration (even 1 ps) never
/// becomes a zero timeout. A floating-point NaN counts as negative.
/// Introduced in chapter 02 (selector).
template <class Rep, class Period>
constexpr std::chrono::nanoseconds saturating_nanoseconds(std::chrono::duration<Rep, Period> timeout) noexcept {
    using std::chrono::nanoseconds;
    const long double ns = static_cast<long double>(timeout.count()) *
                           (static_cast<long double>(Period::num) * 1e9L / static_cast<long double>(Period::den));
    constexpr long double kFar = 1e18L;  // ~31.7 years: far below the overflow, far above INT_MAX ms
    if (ns != ns) return nanoseconds::min();  // NaN
    if (ns >= kFar) return nanoseconds::max();
    if (ns <= -kFar) return nanoseconds::min();
    if (timeout < std::chrono::duration<Rep, Period>::zero()) return std::chrono::floor<nanoseconds>(timeout);
    return std::chrono::ceil<nanoseconds>(timeout);
}
// [saturate]

}  // namespace metalio::sys
