#include "metalio/registry.hpp"

namespace metalio {

// The flag is allocated here so that try_clone() never has to; if the
// allocation fails there is nothing sensible to return from a constructor,
// and std::make_shared's bad_alloc then terminates like any other OOM in
// a noexcept path.
Registry::Registry(sys::Selector selector) noexcept
    : selector_(std::move(selector)), has_waker_(std::make_shared<std::atomic<bool>>(false)) {}

io::Result<Registry> Registry::try_clone() const noexcept {
    auto selector = selector_.try_clone();
    if (!selector) return std::unexpected(selector.error());
    return Registry(std::move(*selector), has_waker_);
}

io::Result<void> Registry::claim_waker() const noexcept {
    if (has_waker_->exchange(true)) return std::unexpected(make_error_code(Errc::waker_exists));
    return {};
}

void Registry::release_waker() const noexcept { has_waker_->store(false); }

}  // namespace metalio
