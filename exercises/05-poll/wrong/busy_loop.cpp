// Exercise 05, a known-wrong answer: right results, but it polls with a zero
// timeout until the deadline, spinning a CPU core the whole time.
#include <algorithm>

#include "exercise.hpp"

namespace metalio::exercise {

io::Result<bool> wait_for_token(Poll& poll, Events& events, Token wanted, std::chrono::milliseconds timeout) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const auto left = std::max(deadline - Clock::now(), Clock::duration::zero());
        if (auto polled = poll.poll(events, Clock::duration::zero()); !polled) {
            if (io::is_interrupted(polled.error())) continue;
            return std::unexpected(polled.error());
        }
        for (const Event event : events) {
            if (event.token() == wanted) return true;
        }
        if (left == Clock::duration::zero()) return false;
    }
}

}  // namespace metalio::exercise
