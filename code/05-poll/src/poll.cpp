#include "metalio/poll.hpp"

namespace metalio {

// [create]
io::Result<Poll> Poll::create() noexcept {
    auto selector = sys::Selector::create();
    if (!selector) return std::unexpected(selector.error());
    return Poll(Registry(std::move(*selector)));
}
// [create]

}  // namespace metalio
