// Exercise 10, a reference answer: a small state machine over the
// completions, which ends when both awaited tokens have been seen.
#include <optional>

#include "exercise.hpp"

namespace metalio::exercise {

io::Result<uring::Buffer> take_back(uring::Driver& driver, uring::OpId recv, Token recv_token,
                                    std::vector<uring::Completion>& others) {
    auto requested = driver.cancel(recv, kCancelToken);
    if (!requested) return std::unexpected(requested.error());
    std::optional<uring::Buffer> returned;
    bool cancel_done = false;
    while (!(returned && cancel_done)) {
        std::optional<uring::Completion> arrived = driver.next();
        if (!arrived) {
            // Nothing to reap yet: one enter hands the cancel over (the
            // first time) and sleeps until something comes back.
            auto entered = driver.submit_and_wait(1);
            if (!entered) return std::unexpected(entered.error());
            continue;
        }
        if (arrived->token == kCancelToken) {
            cancel_done = true;
        } else if (arrived->token == recv_token) {
            returned.emplace(std::move(arrived->buffer));
        } else {
            others.push_back(std::move(*arrived));
        }
    }
    return std::move(*returned);
}

}  // namespace metalio::exercise
