#include "metalio/waker.hpp"

#include <cstdint>
#include <utility>

#include "metalio/sys/syscall.hpp"

// The kqueue build has its own create, wake and close (waker_kqueue.cpp):
// no eventfd there.
#if !METALIO_SELECTOR_KQUEUE
#include <sys/eventfd.h>
#endif

namespace metalio {

// A moved-from Waker must own nothing, hence the exchange: a moved-from
// std::optional would still hold a (moved-from) Registry.
Waker::Waker(Waker&& other) noexcept
    : registry_(std::exchange(other.registry_, std::nullopt)),
      fd_(std::move(other.fd_))
#if METALIO_SELECTOR_KQUEUE && METALIO_KQUEUE_USER_WAKER
      , token_(other.token_)
#elif METALIO_SELECTOR_KQUEUE
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
#elif METALIO_SELECTOR_KQUEUE
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
namespace {

// [reset]
// Reading an eventfd returns its counter and sets it to zero. An empty
// counter reads as WouldBlock: already reset, which is fine.
io::Result<void> reset(int fd) noexcept {
    std::uint64_t count = 0;
    const auto done = METALIO_SYSCALL(read, fd, &count, sizeof count);
    if (!done && !io::is_would_block(done.error())) return std::unexpected(done.error());
    return {};
}
// [reset]

}  // namespace

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
    auto made = METALIO_SYSCALL(eventfd, 0u, EFD_CLOEXEC | EFD_NONBLOCK);
    if (!made) return fail(made.error());
    sys::OwnedFd fd(*made);
#if METALIO_SELECTOR_POLL
    // Stays armed; the selector empties the eventfd when it reports it.
    auto registered = registry.selector().register_waker(fd.get(), token);
#else
    auto registered = registry.selector().register_(fd.get(), token, Interest::READABLE);
#endif
    if (!registered) return fail(registered.error());
    return Waker(std::move(*mine), std::move(fd));
}
// [create]

// [wake]
io::Result<void> Waker::wake() const noexcept {
    const std::uint64_t one = 1;
    auto written = METALIO_SYSCALL(write, fd_.get(), &one, sizeof one);
    if (!written && io::is_would_block(written.error())) {
        // A write only blocks when the counter would pass 0xfffffffffffffffe.
        // Nobody has read it in all that time, so zero it and add one again.
        if (auto reset_done = reset(fd_.get()); !reset_done) return reset_done;
        written = METALIO_SYSCALL(write, fd_.get(), &one, sizeof one);
    }
    if (!written) return std::unexpected(written.error());
    // Nothing else, with either selector: for epoll each write is a new
    // edge; the poll(2) selector keeps a Waker's eventfd armed and empties
    // it when it reports it (register_waker).
    return {};
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
    registry_->release_waker();
    registry_.reset();
}
// [close]
#endif  // !METALIO_SELECTOR_KQUEUE

}  // namespace metalio
