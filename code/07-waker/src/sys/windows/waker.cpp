// The Waker on Windows: a completion packet posted to the Poll's port.
#include "metalio/waker.hpp"

#include <utility>

namespace metalio {

// [create]
io::Result<Waker> Waker::create(const Registry& registry, Token token) noexcept {
    if (auto claimed = registry.claim_waker(); !claimed) return std::unexpected(claimed.error());
    // Nothing to open and nothing to register: the port is the Poll's own.
    auto mine = registry.try_clone();
    if (!mine) {
        registry.release_waker();
        return std::unexpected(mine.error());
    }
    return Waker(std::move(*mine), token);
}
// [create]

// [wake]
io::Result<void> Waker::wake() const noexcept {
    // The packet carries the token as its completion key and no OVERLAPPED,
    // which is how the selector tells it from a finished AFD poll. Unlike an
    // eventfd, packets do not coalesce: each wake() is one event.
    return registry_->selector().wake(token_);
}
// [wake]

Waker::Waker(Waker&& other) noexcept
    : registry_(std::exchange(other.registry_, std::nullopt)), token_(other.token_) {}

Waker& Waker::operator=(Waker&& other) noexcept {
    if (this != &other) {
        close();
        registry_ = std::exchange(other.registry_, std::nullopt);
        token_ = other.token_;
    }
    return *this;
}

Waker::~Waker() { close(); }

void Waker::close() noexcept {
    if (!registry_) return;  // moved from
    registry_->release_waker();
    registry_.reset();
}

}  // namespace metalio
