#include "metalio/io_source.hpp"

namespace metalio {

// [register]
io::Result<void> IoSource::register_(const Registry& registry, Token token, Interest interests) const noexcept {
    if (auto associated = selector_id_.associate(registry); !associated) return associated;
    auto undo = [&](std::error_code error) -> io::Result<void> {
        (void)selector_id_.remove_association(registry);  // not registered anywhere
        return std::unexpected(error);
    };
    auto selector = registry.selector().try_clone();
    if (!selector) return undo(selector.error());
    auto state = registry.selector().register_(socket_.get(), token, interests);
    if (!state) return undo(state.error());
    const std::lock_guard lock(registration_.mutex);
    registration_.registration.emplace(Registration{std::move(*selector), std::move(*state), token, interests});
    return {};
}
// [register]

io::Result<void> IoSource::reregister(const Registry& registry, Token token, Interest interests) const noexcept {
    if (auto checked = selector_id_.check_association(registry); !checked) return checked;
    const std::lock_guard lock(registration_.mutex);
    auto& registration = registration_.registration;
    if (!registration) return std::unexpected(make_error_code(Errc::not_registered));
    if (auto done = registry.selector().reregister(*registration->state, token, interests); !done) return done;
    registration->token = token;
    registration->interests = interests;
    return {};
}

io::Result<void> IoSource::deregister(const Registry& registry) const noexcept {
    if (auto checked = selector_id_.check_association(registry); !checked) return checked;
    const std::lock_guard lock(registration_.mutex);
    auto& registration = registration_.registration;
    if (!registration) return std::unexpected(make_error_code(Errc::not_registered));
    if (auto done = registry.selector().deregister(*registration->state); !done) return done;
    registration.reset();
    (void)selector_id_.remove_association(registry);
    return {};
}

// [rearm]
io::Result<void> IoSource::rearm() const noexcept {
    // mio's IoSourceState::do_io: after WouldBlock, register the same token
    // and interests again, which re-arms what the last event disarmed. Its
    // error is the operation's (do_io): a socket left unarmed would wait
    // for an event that never comes.
    const std::lock_guard lock(registration_.mutex);
    if (const auto& registration = registration_.registration) {
        return registration->selector.reregister(*registration->state, registration->token, registration->interests);
    }
    return {};
}
// [rearm]

void IoSource::forget_registration() noexcept {
    const std::lock_guard lock(registration_.mutex);
    if (const auto& registration = registration_.registration) {
        // Cancels the request in flight; its completion, which may come after
        // the socket is closed, finds the state marked deleted and is dropped.
        (void)registration->selector.deregister(*registration->state);
    }
    registration_.registration.reset();
}

IoSource::IoSource(IoSource&& other) noexcept : socket_(std::move(other.socket_)), selector_id_(std::move(other.selector_id_)) {
    const std::lock_guard lock(other.registration_.mutex);
    registration_.registration = std::exchange(other.registration_.registration, std::nullopt);
}

IoSource& IoSource::operator=(IoSource&& other) noexcept {
    if (this != &other) {
        forget_registration();
        socket_ = std::move(other.socket_);
        selector_id_ = std::move(other.selector_id_);
        const std::lock_guard lock(other.registration_.mutex);
        registration_.registration = std::exchange(other.registration_.registration, std::nullopt);
    }
    return *this;
}

IoSource::~IoSource() { forget_registration(); }

sys::windows::OwnedSocket IoSource::into_socket() && noexcept {
    forget_registration();
    return std::move(socket_);
}

}  // namespace metalio
