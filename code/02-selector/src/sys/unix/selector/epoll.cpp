#include "metalio/sys/unix/selector/epoll.hpp"

#include <fcntl.h>

#include <atomic>

#include "metalio/events.hpp"
#include "metalio/sys/syscall.hpp"
#include "metalio/sys/timeout.hpp"

namespace metalio::sys::epoll {
namespace {

// Selector ids start at 1, so 0 can mean "not associated" (chapter 03).
std::atomic<std::size_t> next_id{1};

// [ctl]
// epoll says EEXIST / ENOENT; metalio says what the caller did wrong.
io::Result<void> ctl(int ep, int op, int fd, Event* event) noexcept {
    const auto done = METALIO_SYSCALL(epoll_ctl, ep, op, fd, event);
    if (done) return {};
    if (done.error() == std::errc::file_exists) return std::unexpected(make_error_code(Errc::already_registered));
    if (done.error() == std::errc::no_such_file_or_directory)
        return std::unexpected(make_error_code(Errc::not_registered));
    return std::unexpected(done.error());
}
// [ctl]

}  // namespace

// [interests-to-epoll]
std::uint32_t interests_to_epoll(Interest interests) noexcept {
    // Edge-triggered always: an event means "something changed", and the
    // caller drains until WouldBlock before it waits again.
    std::uint32_t kind = EPOLLET;
    if (interests.is_readable()) kind |= EPOLLIN | EPOLLRDHUP;
    if (interests.is_writable()) kind |= EPOLLOUT;
    if (interests.is_priority()) kind |= EPOLLPRI;
    return kind;
}
// [interests-to-epoll]

// [create]
io::Result<Selector> Selector::create() noexcept {
    auto ep = METALIO_SYSCALL(epoll_create1, EPOLL_CLOEXEC);
    if (!ep) return std::unexpected(ep.error());
    return Selector(OwnedFd(*ep), next_id.fetch_add(1, std::memory_order_relaxed));
}
// [create]

io::Result<Selector> Selector::try_clone() const noexcept {
    auto ep = METALIO_SYSCALL(fcntl, ep_.get(), F_DUPFD_CLOEXEC, 0);
    if (!ep) return std::unexpected(ep.error());
    return Selector(OwnedFd(*ep), id_);
}

// [select]
io::Result<void> Selector::select(Events& events, std::optional<std::chrono::nanoseconds> timeout) const noexcept {
    events.clear();
    if (events.capacity() == 0) return std::unexpected(make_error_code(Errc::zero_capacity_events));
    const auto millis = timeout_to_millis(timeout);
    if (!millis) return std::unexpected(millis.error());

    const auto capacity = static_cast<int>(std::min<std::size_t>(events.capacity(), INT_MAX));
    const auto ready = METALIO_SYSCALL(epoll_wait, ep_.get(), events.sys_buffer(), capacity, *millis);
    if (!ready) return std::unexpected(ready.error());  // EINTR included: the caller decides
    events.set_len(static_cast<std::size_t>(*ready));
    return {};
}
// [select]

// [register]
// The flags to wait for, and the token the kernel hands back with each event.
static Event to_epoll_event(Token token, Interest interests) noexcept {
    Event event{};
    event.events = interests_to_epoll(interests);
    event.data.u64 = token.value;
    return event;
}

io::Result<void> Selector::register_(int fd, Token token, Interest interests) const noexcept {
    Event event = to_epoll_event(token, interests);
    return ctl(ep_.get(), EPOLL_CTL_ADD, fd, &event);
}
// [register]

io::Result<void> Selector::reregister(int fd, Token token, Interest interests) const noexcept {
    Event event = to_epoll_event(token, interests);
    return ctl(ep_.get(), EPOLL_CTL_MOD, fd, &event);
}

io::Result<void> Selector::deregister(int fd) const noexcept {
    // Linux before 2.6.9 wanted a non-null event even for DEL; null is fine now.
    return ctl(ep_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

}  // namespace metalio::sys::epoll
