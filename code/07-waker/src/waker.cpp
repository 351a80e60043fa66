#include "metalio/waker.hpp"

#include <cstdint>
#include <utility>

#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/wake_fd.hpp"

// The kqueue build has its own create, wake and close (waker_kqueue.cpp).

namespace metalio {

// A moved-from Waker must own nothing, hence the exchange: a moved-from
// std::optional would still hold a (moved-from) Registry.
Waker::Waker(Waker&& other) noexcept
    : registry_(std::exchange(other.registry_, std::nullopt)),
      fd_(std::move(other.fd_))
#if METALIO_SELECTOR_KQUEUE && METALIO_KQUEUE_USER_WAKER
      , token_(other.token_)
#else
      , sender_(std::move(other.sender_))
#endif
{
}

Waker& Waker::operator=(Waker&& other) noexcept {
    if (this != &other) {
        close();
        registry_ = std::exchange(other.registry_, std::nullopt);
        fd_ = std::move(other.fd_);
#if METALIO_SELECTOR_KQUEUE && METALIO_KQUEUE_USER_WAKER
        token_ = other.token_;
#else
        sender_ = std::move(other.sender_);
#endif
    }
    return *this;
}

Waker::~Waker() { close(); }

// [claim]
io::Result<Registry> Waker::claim(const Registry& registry) noexcept {
    if (auto claimed = registry.claim_waker(); !claimed) return std::unexpected(claimed.error());
    auto mine = registry.try_clone();  // epoll: dups the epoll fd (fcntl); kqueue: shares it
    if (!mine) registry.release_waker();
    return mine;
}
// [claim]

#if !METALIO_SELECTOR_KQUEUE
// [create]
io::Result<Waker> Waker::create(const Registry& registry, Token token) noexcept {
    // The slot is claimed first, so a second Waker fails before it opens anything.
    auto mine = claim(registry);
    if (!mine) return std::unexpected(mine.error());
    // From here on every failure gives the claim back; `fd` closes itself.
    auto fail = [&](std::error_code error) -> io::Result<Waker> {
        registry.release_waker();
        return std::unexpected(error);
    };
    // An eventfd; where the system has none, a pipe (chapter 02's
    // sys/unix/portable/wake_fd.hpp).
    auto made = sys::portable::make_wake_fd();
    if (!made) return fail(made.error());
#if METALIO_SELECTOR_POLL
    // Stays armed; the selector empties the fd when it reports it.
    auto registered = registry.selector().register_waker(made->reader.get(), token);
#else
    auto registered = registry.selector().register_(made->reader.get(), token, Interest::READABLE);
#endif
    if (!registered) return fail(registered.error());
    Waker waker(std::move(*mine), std::move(made->reader));
    waker.sender_ = std::move(made->writer);
    return waker;
}
// [create]

// [wake]
io::Result<void> Waker::wake() const noexcept {
    // Eight bytes to the eventfd (or the pipe's write end). An eventfd
    // write only blocks when the counter would pass 0xfffffffffffffffe, a
    // pipe's when 64 KiB are unread: nobody has read it in all that time,
    // so portable::wake empties it and writes again. Nothing else, with
    // either selector: for epoll each write is a new edge; the poll(2)
    // selector keeps a Waker's fd armed and empties it when it reports it
    // (register_waker).
    const int write_end = sender_.get() >= 0 ? sender_.get() : fd_.get();
    return sys::portable::wake(write_end, fd_.get());
}
// [wake]

// [close]
void Waker::close() noexcept {
    if (!registry_) return;  // moved from
#if METALIO_SELECTOR_POLL
    // poll(2) keeps fd numbers, not kernel objects: forget ours before it is
    // closed and reused. (epoll drops a closed fd by itself.)
    (void)registry_->selector().deregister(fd_.get());
#endif
    fd_ = sys::OwnedFd(-1);
    sender_ = sys::OwnedFd(-1);
    registry_->release_waker();
    registry_.reset();
}
// [close]
#endif  // !METALIO_SELECTOR_KQUEUE

}  // namespace metalio
