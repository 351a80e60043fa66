#include "metalio/io_source.hpp"

namespace metalio {

// [register]
io::Result<void> IoSource::register_(const Registry& registry, Token token, Interest interests) const noexcept {
    if (auto associated = selector_id_.associate(registry); !associated) return associated;
    auto registered = posix::SourceFd{fd_.get()}.register_(registry, token, interests);
    if (!registered) {
        // Undo the association: the source is not registered anywhere.
        (void)selector_id_.remove_association(registry);
        return registered;
    }
#if METALIO_SELECTOR_POLL
    if (auto clone = registry.selector().try_clone()) {
        const std::lock_guard lock(rearm_.mutex);
        rearm_.selector.emplace(std::move(*clone));
    }
#endif
    return {};
}
// [register]

io::Result<void> IoSource::reregister(const Registry& registry, Token token, Interest interests) const noexcept {
    if (auto checked = selector_id_.check_association(registry); !checked) return checked;
    return posix::SourceFd{fd_.get()}.reregister(registry, token, interests);
}

io::Result<void> IoSource::deregister(const Registry& registry) const noexcept {
    if (auto checked = selector_id_.check_association(registry); !checked) return checked;
    auto deregistered = posix::SourceFd{fd_.get()}.deregister(registry);
    if (!deregistered) return deregistered;
    (void)selector_id_.remove_association(registry);
#if METALIO_SELECTOR_POLL
    const std::lock_guard lock(rearm_.mutex);
    rearm_.selector.reset();
#endif
    return {};
}

#if METALIO_SELECTOR_POLL
IoSource::IoSource(IoSource&& other) noexcept : fd_(std::move(other.fd_)), selector_id_(std::move(other.selector_id_)) {
    const std::lock_guard lock(other.rearm_.mutex);
    rearm_.selector = std::exchange(other.rearm_.selector, std::nullopt);
}

IoSource& IoSource::operator=(IoSource&& other) noexcept {
    if (this != &other) {
        forget_registration();
        fd_ = std::move(other.fd_);
        selector_id_ = std::move(other.selector_id_);
        const std::lock_guard lock(other.rearm_.mutex);
        rearm_.selector = std::exchange(other.rearm_.selector, std::nullopt);
    }
    return *this;
}

IoSource::~IoSource() { forget_registration(); }

sys::OwnedFd IoSource::into_fd() && noexcept {
    forget_registration();
    return std::move(fd_);
}

void IoSource::rearm() const noexcept {
    const std::lock_guard lock(rearm_.mutex);
    if (rearm_.selector) (void)rearm_.selector->rearm(fd_.get());
}

void IoSource::forget_registration() noexcept {
    const std::lock_guard lock(rearm_.mutex);
    if (rearm_.selector) (void)rearm_.selector->deregister(fd_.get());
    rearm_.selector.reset();
}
#else
// With epoll and kqueue the kernel forgets a closed fd by itself, and its
// edges need no re-arming (EPOLLET, EV_CLEAR): nothing to do. (libkqueue
// keeps a closed fd's filters; its selector copes, see chapter 02.)
IoSource::IoSource(IoSource&& other) noexcept = default;
IoSource& IoSource::operator=(IoSource&& other) noexcept = default;
IoSource::~IoSource() = default;
sys::OwnedFd IoSource::into_fd() && noexcept { return std::move(fd_); }
#endif

}  // namespace metalio
