/// @file
/// The Linux selector: one epoll instance.
#pragma once

#include <sys/epoll.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "metalio/interest.hpp"
#include "metalio/io.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/token.hpp"

namespace metalio {
class Events;
}

namespace metalio::sys::epoll {

/// What the kernel writes for each ready fd: the interest bits that fired
/// and the token stored at registration. Events holds an array of these and
/// hands it to epoll_wait directly, so nothing is copied.
using Event = ::epoll_event;

/// Translates an Interest into epoll flags (always edge-triggered).
std::uint32_t interests_to_epoll(Interest interests) noexcept;

// [event-mapping]
/// The token stored in `data.u64` at registration.
inline Token token(const Event& event) noexcept { return Token{static_cast<std::size_t>(event.data.u64)}; }
/// EPOLLIN or EPOLLPRI.
inline bool is_readable(const Event& event) noexcept { return (event.events & (EPOLLIN | EPOLLPRI)) != 0; }
/// EPOLLOUT.
inline bool is_writable(const Event& event) noexcept { return (event.events & EPOLLOUT) != 0; }
/// EPOLLERR.
inline bool is_error(const Event& event) noexcept { return (event.events & EPOLLERR) != 0; }
/// Hang-up, or readable together with "peer shut down its writing half".
/// (Tested as "either flag, and then which": one test when neither is set.)
inline bool is_read_closed(const Event& event) noexcept {
    return (event.events & (EPOLLHUP | EPOLLRDHUP)) != 0 &&
           ((event.events & EPOLLHUP) != 0 || (event.events & EPOLLIN) != 0);
}
/// Hang-up, writable together with an error, or an error alone.
inline bool is_write_closed(const Event& event) noexcept {
    return (event.events & EPOLLHUP) != 0 ||
           ((event.events & EPOLLOUT) != 0 && (event.events & EPOLLERR) != 0) ||
           event.events == EPOLLERR;
}
/// EPOLLPRI.
inline bool is_priority(const Event& event) noexcept { return (event.events & EPOLLPRI) != 0; }
// [event-mapping]

// [selector-api]
/// A selector backed by epoll(7); mio's `sys::unix::selector::epoll::Selector`.
///
/// All methods are `const` and thread-safe: the kernel serialises
/// epoll_ctl and epoll_wait on one instance, so one thread can register
/// while another waits. Introduced in chapter 02 (selector).
class Selector {
public:
    /// Edge-triggered by the kernel itself: no re-arming needed after an event.
    static constexpr bool emulates_edges = false;

    /// epoll_create1(EPOLL_CLOEXEC). (mio: `Selector::new`; `new` is a C++ keyword.)
    static io::Result<Selector> create() noexcept;

    /// A second handle on the same epoll instance (a dup'ed fd, same id()).
    io::Result<Selector> try_clone() const noexcept;

    /// Waits for events (epoll_wait) and fills @p events; see timeout_to_millis().
    io::Result<void> select(Events& events, std::optional<std::chrono::nanoseconds> timeout) const noexcept;

    /// EPOLL_CTL_ADD. Errc::already_registered if @p fd is registered.
    io::Result<void> register_(int fd, Token token, Interest interests) const noexcept;
    /// EPOLL_CTL_MOD: replaces token and interests. Errc::not_registered if it is not.
    io::Result<void> reregister(int fd, Token token, Interest interests) const noexcept;
    /// EPOLL_CTL_DEL. Errc::not_registered if @p fd is not registered.
    io::Result<void> deregister(int fd) const noexcept;
    // [selector-api]

    /// A number unique to this selector (shared by its clones); see chapter 03.
    std::size_t id() const noexcept { return id_; }
    /// The epoll fd itself.
    int as_raw_fd() const noexcept { return ep_.get(); }

private:
    Selector(OwnedFd ep, std::size_t id) noexcept : ep_(static_cast<OwnedFd&&>(ep)), id_(id) {}

    OwnedFd ep_;
    std::size_t id_;
};

}  // namespace metalio::sys::epoll
