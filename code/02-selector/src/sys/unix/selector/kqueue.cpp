#include "metalio/sys/unix/selector/kqueue.hpp"

#include <fcntl.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <climits>
#include <iterator>
#include <new>
#include <span>

#include "metalio/events.hpp"
#include "metalio/sys/syscall.hpp"
#include "metalio/sys/timeout.hpp"

namespace metalio::sys::kqueue {
namespace {

std::atomic<std::size_t> next_id{1};

// [change]
// One change for the change list: filter @p filter of @p fd, with @p flags
// (EV_ADD, EV_DELETE, ...) and the token in `udata`. EV_RECEIPT on every
// change makes kevent() answer each one with an EV_ERROR entry whose `data`
// is 0 or an errno, instead of failing the whole call at the first error.
Event change(int fd, short filter, unsigned flags, Token token) noexcept {
    Event event{};
    event.ident = static_cast<decltype(event.ident)>(fd);
    event.filter = static_cast<decltype(event.filter)>(filter);
    event.flags = static_cast<decltype(event.flags)>(flags | EV_RECEIPT);
    event.udata = std::bit_cast<decltype(event.udata)>(static_cast<std::uintptr_t>(token.value));
    return event;
}
// [change]

// What the receipts of one change list said, once the ignored errors are
// taken out: the first real error, how many changes found no filter, and
// how many EV_ADDs said ENOENT (libkqueue only, see forget_stale).
struct Receipts {
    int error = 0;
    std::size_t absent = 0;
    std::size_t stale = 0;
};

// [apply]
// Applies @p changes in one kevent() call and reads the receipts back.
// Errors in @p ignored are what the caller expects and does not care
// about (ENOENT when deleting a filter that was not added, EPIPE: see
// register_); ENOENT is still counted, for deregister.
io::Result<Receipts> apply(int kq, std::span<const Event> changes, std::span<const int> ignored) noexcept {
    Event receipts[2] = {};  // one per change: no caller has more than two
    if (changes.size() > std::size(receipts)) return std::unexpected(std::make_error_code(std::errc::invalid_argument));
    // A zero timeout: with a receipt for every change the list fills up and
    // kevent() returns at once anyway, but should a kqueue return fewer
    // receipts (libkqueue, some versions) a null timeout would wait forever.
    const ::timespec no_wait{};
    const auto done = METALIO_SYSCALL(kevent, kq, changes.data(), static_cast<int>(changes.size()), receipts,
                                      static_cast<int>(changes.size()), &no_wait);
    // FreeBSD's kevent(2): on EINTR every change was applied already.
    if (!done && done.error() != std::errc::interrupted) return std::unexpected(done.error());
    Receipts result;
    const std::size_t count = done ? std::min<std::size_t>(static_cast<std::size_t>(*done), changes.size()) : 0;
    for (const Event& receipt : std::span(receipts, count)) {
        if ((receipt.flags & EV_ERROR) == 0 || receipt.data == 0) continue;  // applied
        const int error = static_cast<int>(receipt.data);
        if (error == ENOENT) ++((receipt.flags & EV_ADD) != 0 ? result.stale : result.absent);
        if (std::find(ignored.begin(), ignored.end(), error) != ignored.end()) continue;
        if (result.error == 0) result.error = error;
    }
    return result;
}
// [apply]

io::Result<void> first_error(const io::Result<Receipts>& applied) noexcept {
    if (!applied) return std::unexpected(applied.error());
    if (applied->error != 0) return std::unexpected(std::error_code(applied->error, std::system_category()));
    return {};
}

#ifdef LIBKQUEUE
// [libkqueue-stale]
// libkqueue only: it cannot see a close(), so the filters of an fd closed
// while registered stay in its tables, and an EV_ADD for a new fd with the
// same number finds them and fails with ENOENT (a BSD kernel drops them on
// close, and EV_ADD never says ENOENT). Delete what is left and try again.
template <class Retry>
io::Result<void> forget_stale(int kq, int fd, Retry retry) noexcept {
    const Event stale[2] = {change(fd, EVFILT_WRITE, EV_DELETE, Token{0}), change(fd, EVFILT_READ, EV_DELETE, Token{0})};
    (void)apply(kq, stale, {});
    return retry();
}
// [libkqueue-stale]
#endif

}  // namespace

// [timeout]
io::Result<std::optional<::timespec>> timeout_to_timespec(std::optional<std::chrono::nanoseconds> timeout) noexcept {
    const auto millis = timeout_to_millis(timeout);
    if (!millis) return std::unexpected(millis.error());
    if (*millis < 0) return std::optional<::timespec>{};  // wait forever: a null pointer for kevent()
    ::timespec spec{};
    spec.tv_sec = static_cast<decltype(spec.tv_sec)>(*millis / 1000);
    spec.tv_nsec = static_cast<decltype(spec.tv_nsec)>(*millis % 1000) * 1'000'000;
    return spec;
}
// [timeout]

// [create]
io::Result<Selector> Selector::create() noexcept {
    auto kq = METALIO_SYSCALL(kqueue);
    if (!kq) return std::unexpected(kq.error());
    OwnedFd owned(*kq);
    // kqueue() has no close-on-exec flag everywhere (FreeBSD's kqueuex and
    // NetBSD's kqueue1 do): set it at once, as mio does.
    if (auto cloexec = METALIO_SYSCALL(fcntl, owned.get(), F_SETFD, FD_CLOEXEC); !cloexec)
        return std::unexpected(cloexec.error());
    try {
        auto shared = std::make_shared<const OwnedFd>(static_cast<OwnedFd&&>(owned));
        return Selector(std::move(shared), next_id.fetch_add(1, std::memory_order_relaxed));
    } catch (const std::bad_alloc&) {
        return std::unexpected(std::make_error_code(std::errc::not_enough_memory));
    }
}
// [create]

io::Result<Selector> Selector::try_clone() const noexcept {
    return Selector(std::shared_ptr<const OwnedFd>(kq_), id_);
}

// [select]
io::Result<void> Selector::select(Events& events, std::optional<std::chrono::nanoseconds> timeout) const noexcept {
    events.clear();
    if (events.capacity() == 0) return std::unexpected(make_error_code(Errc::zero_capacity_events));
    const auto spec = timeout_to_timespec(timeout);
    if (!spec) return std::unexpected(spec.error());

    const auto capacity = static_cast<int>(std::min<std::size_t>(events.capacity(), INT_MAX));
    const ::timespec* wait = *spec ? &**spec : nullptr;
    // No change list: kevent() only waits here. Changes are made by
    // register_ & co. in their own calls, each checked by its receipts.
    const auto ready = METALIO_SYSCALL(kevent, kq_->get(), nullptr, 0, events.sys_buffer(), capacity, wait);
    if (!ready) return std::unexpected(ready.error());  // EINTR included: the caller decides
    events.set_len(static_cast<std::size_t>(*ready));
    return {};
}
// [select]

// [register]
io::Result<void> Selector::register_(int fd, Token token, Interest interests) const noexcept {
    // [interests-to-filters]
    constexpr unsigned kAdd = EV_ADD | EV_CLEAR;
    Event changes[2];
    std::size_t count = 0;
    if (interests.is_writable()) changes[count++] = change(fd, EVFILT_WRITE, kAdd, token);
    // PRIORITY has no filter of its own: out-of-band data makes a socket
    // readable, so it is watched with the read filter.
    if (interests.is_readable() || interests.is_priority()) changes[count++] = change(fd, EVFILT_READ, kAdd, token);
    // [interests-to-filters]
    // EPIPE: older macOS refuses the write filter of a pipe whose other end
    // is closed, yet reports the fd afterwards; the event says read_closed or
    // write_closed, which is more useful than an error (mio #582).
    static constexpr int kIgnored[] = {EPIPE};
    const auto applied = apply(kq_->get(), std::span(changes, count), kIgnored);
#ifdef LIBKQUEUE
    if (applied && applied->stale > 0) return forget_stale(kq_->get(), fd, [&] {
        return first_error(apply(kq_->get(), std::span(changes, count), kIgnored));
    });
#endif
    return first_error(applied);
}
// [register]

// [reregister]
io::Result<void> Selector::reregister(int fd, Token token, Interest interests) const noexcept {
    // kqueue cannot say which filters an fd has, so both are set: added if
    // wanted, deleted if not; deleting one that is not there says ENOENT,
    // which is the state we want anyway.
    constexpr unsigned kAdd = EV_ADD | EV_CLEAR;
    const bool readable = interests.is_readable() || interests.is_priority();
    const Event changes[2] = {
        change(fd, EVFILT_WRITE, interests.is_writable() ? kAdd : EV_DELETE, token),
        change(fd, EVFILT_READ, readable ? kAdd : EV_DELETE, token),
    };
    static constexpr int kIgnored[] = {ENOENT, EPIPE};
    const auto applied = apply(kq_->get(), changes, kIgnored);
#ifdef LIBKQUEUE
    if (applied && applied->stale > 0)
        return forget_stale(kq_->get(), fd, [&] { return first_error(apply(kq_->get(), changes, kIgnored)); });
#endif
    return first_error(applied);
}
// [reregister]

// [deregister]
io::Result<void> Selector::deregister(int fd) const noexcept {
    const Event changes[2] = {change(fd, EVFILT_WRITE, EV_DELETE, Token{0}), change(fd, EVFILT_READ, EV_DELETE, Token{0})};
    static constexpr int kIgnored[] = {ENOENT};
    const auto applied = apply(kq_->get(), changes, kIgnored);
    if (auto failed = first_error(applied); !failed) return failed;
    // One missing filter is normal (READABLE only, say); both missing means
    // the fd was never registered, which the other selectors report too.
    if (applied->absent == 2) return std::unexpected(make_error_code(Errc::not_registered));
    return {};
}
// [deregister]

#if METALIO_KQUEUE_USER_WAKER
// [user-event]
io::Result<void> Selector::setup_waker(Token token) const noexcept {
    // ident 0 of EVFILT_USER: a kqueue has one Waker, so one ident is enough.
    const Event changes[1] = {change(0, EVFILT_USER, EV_ADD | EV_CLEAR, token)};
    return first_error(apply(kq_->get(), changes, {}));
}

io::Result<void> Selector::wake(Token token) const noexcept {
    Event trigger = change(0, EVFILT_USER, EV_ADD, token);
    trigger.fflags = NOTE_TRIGGER;
    const Event changes[1] = {trigger};
    return first_error(apply(kq_->get(), changes, {}));
}

io::Result<void> Selector::remove_waker() const noexcept {
    const Event changes[1] = {change(0, EVFILT_USER, EV_DELETE, Token{0})};
    return first_error(apply(kq_->get(), changes, {}));
}
// [user-event]
#endif

}  // namespace metalio::sys::kqueue
