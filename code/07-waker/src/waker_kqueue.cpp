// The Waker on kqueue: a user event where the system has EVFILT_USER, a
// pipe where it does not (sys::kqueue, METALIO_KQUEUE_USER_WAKER). The move
// operations and the destructor are shared with the eventfd Waker (waker.cpp).
#include "metalio/waker.hpp"

#if METALIO_SELECTOR_KQUEUE

#include <fcntl.h>
#include <unistd.h>

#include <utility>

#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/wake_fd.hpp"

namespace metalio {

#if METALIO_KQUEUE_USER_WAKER

// [create-user]
io::Result<Waker> Waker::create(const Registry& registry, Token token) noexcept {
    auto mine = claim(registry);  // the slot, and the Registry (the same kqueue, shared)
    if (!mine) return std::unexpected(mine.error());
    // No fd of its own: the event lives in the kqueue, keyed by EVFILT_USER.
    if (auto added = registry.selector().setup_waker(token); !added) {
        registry.release_waker();
        return std::unexpected(added.error());
    }
    Waker waker(std::move(*mine), sys::OwnedFd(-1));
    waker.token_ = token;
    return waker;
}
// [create-user]

// [wake-user]
io::Result<void> Waker::wake() const noexcept {
    // NOTE_TRIGGER activates the user event; EV_CLEAR (from setup_waker)
    // resets it once a kevent() reports it, so wakes before that coalesce.
    return registry_->selector().wake(token_);
}
// [wake-user]

// [close-user]
void Waker::close() noexcept {
    if (!registry_) return;  // moved from
    // The event belongs to the kqueue, not to an fd we close: delete it, or
    // a wake that nobody polled yet would be reported after the Waker is gone.
    (void)registry_->selector().remove_waker();
    registry_->release_waker();
    registry_.reset();
}
// [close-user]

#else  // a pipe: OpenBSD, older NetBSD, or METALIO_WAKER_PIPE

// [create-pipe]
io::Result<Waker> Waker::create(const Registry& registry, Token token) noexcept {
    auto mine = claim(registry);
    if (!mine) return std::unexpected(mine.error());
    auto fail = [&](std::error_code error) -> io::Result<Waker> {
        registry.release_waker();
        return std::unexpected(error);
    };
    // Both ends non-blocking and close-on-exec: pipe2, or pipe + fcntl
    // where there is no pipe2 (sys/unix/portable/, chapters 01 and 02).
    auto made = sys::portable::make_wake_pipe();
    if (!made) return fail(made.error());
    if (auto registered = registry.selector().register_(made->reader.get(), token, Interest::READABLE); !registered)
        return fail(registered.error());
    Waker waker(std::move(*mine), std::move(made->reader));
    waker.sender_ = std::move(made->writer);
    return waker;
}
// [create-pipe]

// [wake-pipe]
io::Result<void> Waker::wake() const noexcept {
    // Each write is a new edge for the read filter (EV_CLEAR). The pipe is
    // never read otherwise, so after 64 KiB of unpolled wakes it is full:
    // portable::wake empties it and writes again (and retries EINTR, as
    // mio's pipe Waker does).
    return sys::portable::wake(sender_.get(), fd_.get());
}
// [wake-pipe]

void Waker::close() noexcept {
    if (!registry_) return;  // moved from
    // Closing the read end removes its filters from the kqueue by itself.
    fd_ = sys::OwnedFd(-1);
    sender_ = sys::OwnedFd(-1);
    registry_->release_waker();
    registry_.reset();
}

#endif

}  // namespace metalio

#endif  // METALIO_SELECTOR_KQUEUE
