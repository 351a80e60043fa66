/// @file
/// The portable selector: poll(2), with edge triggering emulated.
#pragma once

#include <poll.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "metalio/interest.hpp"
#include "metalio/io.hpp"
#include "metalio/token.hpp"

namespace metalio {
class Events;
}

namespace metalio::sys::poll {

/// One ready fd: its token and the `revents` poll(2) reported.
struct Event {
    std::uint64_t token;   ///< The token of the registration.
    std::uint32_t events;  ///< The `revents` bits (POLLIN, POLLOUT, ...).
};

/// Translates an Interest into the `events` of a `pollfd`.
short interests_to_poll(Interest interests) noexcept;

/// POLLRDHUP where the system has it (Linux), else nothing.
#ifdef POLLRDHUP
inline constexpr std::uint32_t kReadHangUp = POLLRDHUP;
#else
inline constexpr std::uint32_t kReadHangUp = 0;  // not on every Unix
#endif

// [event-mapping]
/// The token of the registration.
inline Token token(const Event& event) noexcept { return Token{static_cast<std::size_t>(event.token)}; }
/// POLLIN or POLLPRI.
inline bool is_readable(const Event& event) noexcept { return (event.events & (POLLIN | POLLPRI)) != 0; }
/// POLLOUT.
inline bool is_writable(const Event& event) noexcept { return (event.events & POLLOUT) != 0; }
/// POLLERR.
inline bool is_error(const Event& event) noexcept { return (event.events & POLLERR) != 0; }
/// Hang-up, or readable together with POLLRDHUP.
inline bool is_read_closed(const Event& event) noexcept {
    return (event.events & POLLHUP) != 0 || ((event.events & POLLIN) != 0 && (event.events & kReadHangUp) != 0);
}
/// Hang-up, writable together with an error, or an error alone.
inline bool is_write_closed(const Event& event) noexcept {
    return (event.events & POLLHUP) != 0 || ((event.events & POLLOUT) != 0 && (event.events & POLLERR) != 0) ||
           event.events == POLLERR;
}
/// POLLPRI.
inline bool is_priority(const Event& event) noexcept { return (event.events & POLLPRI) != 0; }
// [event-mapping]

/// A selector backed by poll(2), for any Unix; mio's `selector/poll.rs`.
///
/// poll(2) is level-triggered and keeps no state in the kernel, so this
/// class keeps the `pollfd` array itself and emulates edge triggering: once
/// an fd is reported, the interests that fired are disarmed until
/// reregister() arms them again. metalio's own I/O types re-arm
/// automatically when an operation returns WouldBlock (chapter 03); code
/// that registers a raw fd must reregister after draining it. A hang-up or
/// an error is reported even after every interest fired (as epoll reports
/// EPOLLHUP and EPOLLERR whatever the interests), once, until re-armed.
///
/// Thread-safe like the epoll selector: register, reregister and deregister
/// from another thread wake a blocked select(), which applies the change and
/// polls again. One thread calls select() at a time. Introduced in chapter 02.
class Selector {
public:
    /// Fired interests are disarmed until reregister(): see the class text.
    static constexpr bool emulates_edges = true;

    /// Creates the fd table and its internal wake-up eventfd.
    static io::Result<Selector> create() noexcept;

    // Move-only like the epoll selector; try_clone() shares on purpose.
    /// Moves the handle.
    Selector(Selector&&) noexcept = default;
    /// Moves the handle.
    Selector& operator=(Selector&&) noexcept = default;
    Selector(const Selector&) = delete;
    Selector& operator=(const Selector&) = delete;
    ~Selector() = default;

    /// Another handle on the same table (same id()).
    io::Result<Selector> try_clone() const noexcept;

    /// Polls (poll(2)) and fills @p events, disarming what it reports.
    io::Result<void> select(Events& events, std::optional<std::chrono::nanoseconds> timeout) const noexcept;
    /// Adds @p fd to the table. Errc::already_registered if it is there.
    io::Result<void> register_(int fd, Token token, Interest interests) const noexcept;
    /// Registers the eventfd of a Waker (chapter 07) for readable. Unlike
    /// other fds it is never disarmed: select() empties the eventfd when it
    /// reports it, so a wake needs only the write to the eventfd, from any
    /// thread, with no re-arm and no interruption of a running poll(2).
    io::Result<void> register_waker(int fd, Token token) const noexcept;
    /// Replaces token and interests and arms @p fd. Errc::not_registered if absent.
    io::Result<void> reregister(int fd, Token token, Interest interests) const noexcept;
    /// Removes @p fd from the table. Errc::not_registered if absent.
    io::Result<void> deregister(int fd) const noexcept;
    /// Arms @p fd again with the interests of its last register/reregister
    /// (the emulated edge: called after an operation returned WouldBlock).
    /// False if @p fd is not registered (nothing to arm). A bool, not an
    /// io::Result: it comes back in a register, on every short read.
    bool rearm(int fd) const noexcept;

    /// A number unique to this selector (shared by its clones); see chapter 03.
    std::size_t id() const noexcept;
    // No as_raw_fd(): there is no kernel object to hand out. The only fd is
    // the internal wake-up eventfd, which is not a readiness fd (reading it
    // would steal wake-ups). Poll::as_raw_fd exists on epoll only.

    /// The shared table (defined in poll.cpp).
    struct State;

private:
    explicit Selector(std::shared_ptr<State> state) noexcept : state_(static_cast<std::shared_ptr<State>&&>(state)) {}

    std::shared_ptr<State> state_;
};

}  // namespace metalio::sys::poll
