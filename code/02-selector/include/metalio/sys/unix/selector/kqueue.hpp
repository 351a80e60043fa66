/// @file
/// The BSD and macOS selector: one kqueue. On Linux it runs on libkqueue.
#pragma once

#include <sys/types.h>  // before <sys/event.h>: the BSD header uses its types
#include <sys/event.h>
#include <time.h>

#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "metalio/interest.hpp"
#include "metalio/io.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/token.hpp"

namespace metalio {
class Events;
}

namespace metalio::sys::kqueue {

/// What kevent() writes for each ready filter: the fd (`ident`), which
/// filter fired (`filter`), `flags` such as EV_EOF, and the token stored in
/// `udata` at registration. Events hands an array of these to kevent().
using Event = struct ::kevent;

// [user-waker]
/// 1 where the kernel has user events (EVFILT_USER with NOTE_TRIGGER:
/// FreeBSD, macOS, libkqueue): the Waker of chapter 07 is then a kqueue
/// event and needs no fd. 0 elsewhere (OpenBSD, older NetBSD): the Waker is
/// a pipe. Decided when the header is compiled, as mio decides per target;
/// `-DMETALIO_WAKER_PIPE=1` forces the pipe, to test that path.
#if defined(NOTE_TRIGGER) && !METALIO_WAKER_PIPE
#define METALIO_KQUEUE_USER_WAKER 1
#else
#define METALIO_KQUEUE_USER_WAKER 0
#endif
// [user-waker]

/// The token of a registration, as `udata` holds it. `udata` is a pointer
/// on FreeBSD, macOS and libkqueue and an integer on older NetBSD; either
/// way the token is stored as its bits, never dereferenced.
inline Token token(const Event& event) noexcept {
    return Token{static_cast<std::size_t>(std::bit_cast<std::uintptr_t>(event.udata))};
}

// [event-mapping]
/// The read filter fired (or the Waker's user event, which stands for the
/// readable eventfd of the other selectors).
inline bool is_readable(const Event& event) noexcept {
#if METALIO_KQUEUE_USER_WAKER
    if (event.filter == EVFILT_USER) return true;
#endif
    return event.filter == EVFILT_READ;
}
/// The write filter fired.
inline bool is_writable(const Event& event) noexcept { return event.filter == EVFILT_WRITE; }
/// EV_ERROR, or end-of-file with an error code in `fflags` (a socket error).
inline bool is_error(const Event& event) noexcept {
    return (event.flags & EV_ERROR) != 0 || ((event.flags & EV_EOF) != 0 && event.fflags != 0);
}
/// The read filter reports end-of-file.
inline bool is_read_closed(const Event& event) noexcept {
    return event.filter == EVFILT_READ && (event.flags & EV_EOF) != 0;
}
/// The write filter reports end-of-file.
inline bool is_write_closed(const Event& event) noexcept {
    return event.filter == EVFILT_WRITE && (event.flags & EV_EOF) != 0;
}
/// Always false: kqueue has no priority filter (out-of-band data shows up
/// as readable).
inline bool is_priority(const Event&) noexcept { return false; }
// [event-mapping]

/// Turns an optional timeout into the `timespec` kevent() takes: none for
/// "wait forever", else the milliseconds timeout_to_millis() rounds to (up,
/// clamped, negative refused), so every selector waits alike.
io::Result<std::optional<::timespec>> timeout_to_timespec(std::optional<std::chrono::nanoseconds> timeout) noexcept;

// [selector-api]
/// A selector backed by kqueue(2); mio's `sys::unix::selector::kqueue::Selector`.
///
/// Each registration is one or two kernel filters on the fd: EVFILT_READ
/// and EVFILT_WRITE, both added with EV_CLEAR (edge-triggered: an event
/// means "changed", so nothing needs re-arming). A fd that is both readable
/// and writable therefore comes back as *two* events with the same token,
/// one per filter. kevent() is thread-safe like epoll: one thread can
/// register while another waits. Introduced in chapter 02 (selector).
class Selector {
public:
    /// EV_CLEAR edges come from the kernel: no re-arming after an event.
    static constexpr bool emulates_edges = false;

    /// kqueue(), then close-on-exec. (mio: `Selector::new`.)
    static io::Result<Selector> create() noexcept;

    // Move-only like the epoll selector; try_clone() shares on purpose.
    /// Moves the handle.
    Selector(Selector&&) noexcept = default;
    /// Moves the handle.
    Selector& operator=(Selector&&) noexcept = default;
    Selector(const Selector&) = delete;
    Selector& operator=(const Selector&) = delete;
    ~Selector() = default;

    /// Another handle on the same kqueue (the same descriptor, shared; same id()).
    io::Result<Selector> try_clone() const noexcept;

    /// Waits for events (kevent with no changes) and fills @p events.
    io::Result<void> select(Events& events, std::optional<std::chrono::nanoseconds> timeout) const noexcept;

    /// EV_ADD|EV_CLEAR of the read and/or write filter. A second register of
    /// the same fd updates it, as kqueue does (no Errc::already_registered).
    io::Result<void> register_(int fd, Token token, Interest interests) const noexcept;
    /// Adds the filters @p interests want and deletes the others.
    io::Result<void> reregister(int fd, Token token, Interest interests) const noexcept;
    /// Deletes both filters. Errc::not_registered if neither was there.
    io::Result<void> deregister(int fd) const noexcept;
    // [selector-api]

#if METALIO_KQUEUE_USER_WAKER || defined(METALIO_DOXYGEN)
    /// For the Waker (chapter 07): adds the user event (EVFILT_USER, ident
    /// 0, EV_CLEAR) that wake() triggers, carrying @p token.
    io::Result<void> setup_waker(Token token) const noexcept;
    /// For the Waker: triggers the user event (NOTE_TRIGGER), so a select()
    /// returns an event with @p token, readable.
    io::Result<void> wake(Token token) const noexcept;
    /// For the Waker's destructor: deletes the user event, so a wake nobody
    /// polled yet is not reported after the Waker is gone.
    io::Result<void> remove_waker() const noexcept;
#endif

    /// A number unique to this selector (shared by its clones); see chapter 03.
    std::size_t id() const noexcept { return id_; }
    /// The kqueue fd itself.
    int as_raw_fd() const noexcept { return kq_->get(); }

private:
    Selector(std::shared_ptr<const OwnedFd> kq, std::size_t id) noexcept
        : kq_(static_cast<std::shared_ptr<const OwnedFd>&&>(kq)), id_(id) {}

    // Shared, not dup'ed, by try_clone(): see the chapter (libkqueue knows a
    // kqueue only by the number kqueue() returned).
    std::shared_ptr<const OwnedFd> kq_;
    std::size_t id_;
};

}  // namespace metalio::sys::kqueue
