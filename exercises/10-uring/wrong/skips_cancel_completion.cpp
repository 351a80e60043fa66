// Known wrong: returns as soon as the recv's buffer is back, without
// waiting for the cancel's own completion, which is left in flight (and
// would surprise the caller's next turn with an unknown token). Other
// completions are kept correctly.
#include "exercise.hpp"

namespace metalio::exercise {

io::Result<uring::Buffer> take_back(uring::Driver& driver, uring::OpId recv, Token recv_token,
                                    std::vector<uring::Completion>& others) {
    auto requested = driver.cancel(recv, kCancelToken);
    if (!requested) return std::unexpected(requested.error());
    for (;;) {
        auto arrived = driver.next();
        if (!arrived) {
            if (auto entered = driver.submit_and_wait(1); !entered) return std::unexpected(entered.error());
            continue;
        }
        if (arrived->token == recv_token) return std::move(arrived->buffer);
        if (arrived->token != kCancelToken) others.push_back(std::move(*arrived));
    }
}

}  // namespace metalio::exercise
