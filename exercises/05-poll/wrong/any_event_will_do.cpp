// Exercise 05, a known-wrong answer: returns true on the first event,
// whichever source it came from.
#include <algorithm>

#include "exercise.hpp"

namespace metalio::exercise {

io::Result<bool> wait_for_token(Poll& poll, Events& events, Token wanted, std::chrono::milliseconds timeout) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const auto left = std::max(deadline - Clock::now(), Clock::duration::zero());
        if (auto polled = poll.poll(events, left); !polled) {
            if (io::is_interrupted(polled.error())) continue;
            return std::unexpected(polled.error());
        }
        (void)wanted;
        if (!events.empty()) return true;
        if (left == Clock::duration::zero()) return false;
    }
}

}  // namespace metalio::exercise
