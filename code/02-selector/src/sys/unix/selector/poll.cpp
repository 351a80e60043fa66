#include "metalio/sys/unix/selector/poll.hpp"

#include <fcntl.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <new>
#include <vector>

#include "metalio/events.hpp"
#include "metalio/sys/atomic_mutex.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/sys/syscall.hpp"
#include "metalio/sys/timeout.hpp"
#include "metalio/sys/unix/portable/wake_fd.hpp"

namespace metalio::sys::poll {
namespace {

std::atomic<std::size_t> next_id{1};

struct Registration {
    // 16 bytes in all (a 32-bit index: fds are ints), so that finding an
    // fd's registration on every re-arm is a shift, not a division by 24.
    std::uint32_t index = 0;  // into State::fds; 0 (the notify entry) = not registered
    short armed = 0;          // the events to wait for, before disarming
    bool waker = false;       // a Waker's fd: stays armed, emptied when reported
    Token token;

    struct Update {
        Token token;
        short armed;
    };
};
static_assert(sizeof(Registration) <= 16, "see Registration::index");

// Events that mean "this fd will not get better". poll(2) reports them even
// for an entry whose `events` is 0, on every call: an fd that reported them
// is parked (its fd made negative, which poll(2) skips), or it would wake
// every later poll at once.
constexpr short kFinal = POLLHUP | POLLERR;

}  // namespace

// [state]
struct Selector::State {
    std::size_t id;
    portable::WakeFd notify;  // eventfd or pipe: written by register & co. to interrupt poll(2)

    // Held by select() for the whole poll(2) call, and by every change. An
    // AtomicMutex: a server's re-arm takes it after every short read.
    AtomicMutex mutex;
    // fds[0] is `notify`. An entry whose interests all fired keeps its fd
    // with `events` 0, so poll(2) still reports its hang-up or error; an
    // entry with a negative fd is parked after one, and poll(2) skips it.
    std::vector<pollfd> fds;
    // Indexed by fd number (fds are small and dense): finding an fd's
    // registration on every re-arm is one index, not a hash lookup.
    std::vector<Registration> registrations;
    std::size_t next_scan = 1;  // where the next select starts scanning: fairness

    // Changes waiting for the mutex: select() lets them in before polling again.
    std::atomic<std::size_t> waiting{0};
    std::condition_variable_any changes_done;
    bool letting_in = false;  // select() waits on changes_done (under the mutex)
    // True while select() is in (or about to enter) a poll(2) that may
    // block: only then does a change have to interrupt it with `notify`.
    std::atomic<bool> polling{false};
};
// [state]

namespace {

// The internal wake-up fd is read and written with plain ::read / ::write
// (portable::notify and portable::drain), not METALIO_SYSCALL: its errors
// carry no information the caller could use (EAGAIN means "already empty"
// or "already signalled", both fine), and fault injection aimed at a
// user's read() must not hit this wake-up path.
void drain(int fd) noexcept { portable::drain(fd); }

template <class Change>
auto modify_contended(Selector::State& state, Change change);

// [modify]
// Runs `change` under the mutex. select() holds the mutex while it blocks
// in poll(2); if it is there, the wake-up write makes that poll return so
// it lets us in. If no thread is polling, the mutex is free or about to be
// and the change costs no system call at all.
template <class Change>
auto modify(Selector::State& state, Change change) {
    // A free mutex means no thread is in poll(2) (select() holds it for the
    // whole call) and none is about to be: change the table at once. This
    // is the re-arm of a server that polls on its own thread.
    if (state.mutex.try_lock()) {
        const std::lock_guard lock(state.mutex, std::adopt_lock);
        return change();
    }
    return modify_contended(state, change);
}

// modify() when the mutex is taken: a thread may be in poll(2). Out of
// line, so that the fast path above needs no stack frame.
template <class Change>
[[gnu::noinline]] auto modify_contended(Selector::State& state, Change change) {
    // Announce the change, then look for a poller (both seq_cst). select()
    // does the same in the other order, so at least one of the two sees the
    // other: either select() sees `waiting` and does not block, or we see
    // `polling` and interrupt it.
    state.waiting.fetch_add(1);
    const bool interrupt = state.polling.load();
    if (interrupt) portable::notify(state.notify.write_end());
    std::unique_lock lock(state.mutex);
    if (interrupt) drain(state.notify.reader.get());
    auto result = change();
    if (state.waiting.fetch_sub(1) == 1 && state.letting_in) state.changes_done.notify_all();
    return result;
}
// [modify]

// The registration of `fd`, or nullptr. Runs under the mutex.
Registration* find(Selector::State& state, int fd) noexcept {
    if (fd < 0 || static_cast<std::size_t>(fd) >= state.registrations.size()) return nullptr;
    Registration& registration = state.registrations[static_cast<std::size_t>(fd)];
    return registration.index == 0 ? nullptr : &registration;
}

// poll(2) cannot tell us a fd is closed until we poll it (POLLNVAL), but a
// registration of a closed fd would be a silent no-op: check it now.
io::Result<void> check_fd(int fd) noexcept {
    if (fd < 0) return std::unexpected(std::error_code(EBADF, std::system_category()));  // as the kernel says it
    const auto flags = METALIO_SYSCALL(fcntl, fd, F_GETFD);
    if (!flags) return std::unexpected(flags.error());
    return {};
}

void arm(pollfd& entry, int fd, short events) noexcept {
    entry.fd = fd;
    entry.events = events;
    entry.revents = 0;
}

// Arms a registered fd again, with new token and events first if given
// (reregister), or with the ones it had (rearm). Runs under the mutex.
// Always inlined: in rearm, after every short read, the optional folds away.
[[gnu::always_inline]] inline io::Result<void> arm_registered(Selector::State& state, int fd,
                                std::optional<Registration::Update> update) noexcept {
    Registration* found = find(state, fd);
    if (found == nullptr) return std::unexpected(make_error_code(Errc::not_registered));
    if (update) {
        found->token = update->token;
        found->armed = update->armed;
    }
    arm(state.fds[found->index], fd, found->armed);
    return {};
}

}  // namespace

// [interests-to-poll]
short interests_to_poll(Interest interests) noexcept {
    short kind = 0;
    if (interests.is_readable()) kind |= POLLIN | static_cast<short>(kReadHangUp);
    if (interests.is_writable()) kind |= POLLOUT;
    if (interests.is_priority()) kind |= POLLPRI;
    return kind;
}
// [interests-to-poll]

io::Result<Selector> Selector::create() noexcept {
    // An eventfd, or a pipe where there is none (mio's poll selector does
    // the same): sys/unix/portable/wake_fd.hpp.
    auto notify = portable::make_wake_fd();
    if (!notify) return std::unexpected(notify.error());
    try {
        auto state = std::make_shared<State>();
        state->id = next_id.fetch_add(1, std::memory_order_relaxed);
        state->fds.push_back(pollfd{notify->reader.get(), POLLIN, 0});
        state->notify = static_cast<portable::WakeFd&&>(*notify);
        return Selector(std::move(state));
    } catch (const std::bad_alloc&) {
        return std::unexpected(std::make_error_code(std::errc::not_enough_memory));
    }
}

io::Result<Selector> Selector::try_clone() const noexcept { return Selector(std::shared_ptr<State>(state_)); }

std::size_t Selector::id() const noexcept { return state_->id; }

// [select]
io::Result<void> Selector::select(Events& events, std::optional<std::chrono::nanoseconds> timeout) const noexcept {
    events.clear();
    if (events.capacity() == 0) return std::unexpected(make_error_code(Errc::zero_capacity_events));
    const auto millis = timeout_to_millis(timeout);
    if (!millis) return std::unexpected(millis.error());
    // The clock is read only for a timeout that can run out partly
    // (a zero or infinite one never needs it).
    const auto deadline = *millis > 0 ? std::chrono::steady_clock::now() + std::chrono::milliseconds(*millis)
                                      : std::chrono::steady_clock::time_point{};

    State& state = *state_;
    std::unique_lock lock(state.mutex);
    for (;;) {
        // [let-changes-in]
        // Let waiting register/reregister/deregister calls in first.
        while (state.waiting.load() != 0) {
            state.letting_in = true;
            state.changes_done.wait(lock);
        }
        state.letting_in = false;

        int wait_ms = *millis;
        if (wait_ms > 0) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            wait_ms = static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
        }
        // "A thread is in poll(2)" before the last look at `waiting` (see
        // modify): a change that came after the wait above is seen here,
        // or it sees the flag and writes the wake-up fd.
        state.polling.store(true);
        if (state.waiting.load() != 0) {
            state.polling.store(false);
            continue;
        }
        const auto ready = METALIO_SYSCALL(poll, state.fds.data(), static_cast<nfds_t>(state.fds.size()), wait_ms);
        state.polling.store(false);
        // EAGAIN: the kernel could not allocate its tables this time, "but
        // the request may be attempted again" (poll(2)). mio retries; so do
        // we, with the time that is left. (EINTR still goes to the caller.)
        if (!ready && ready.error() == std::errc::resource_unavailable_try_again) continue;
        if (!ready) return std::unexpected(ready.error());
        if (*ready == 0) return {};  // timed out

        const bool interrupted_by_change = state.fds[0].revents != 0;
        if (interrupted_by_change) drain(state.notify.reader.get());
        if (*ready == (interrupted_by_change ? 1 : 0)) continue;  // only a change: poll again
        // [let-changes-in]

        // [disarm]
        // Report ready fds, starting where the last select stopped so that
        // a small Events capacity cannot starve the fds at the end. poll(2)
        // returned how many entries have revents, so the scan stops after
        // the last of them; it runs straight from `start` to the end, then
        // from the front, so an entry without revents costs one test.
        const std::size_t count = state.fds.size() - 1;
        std::size_t left = static_cast<std::size_t>(*ready) - (interrupted_by_change ? 1 : 0);
        const std::size_t start = state.next_scan > count ? 1 : state.next_scan;
        std::size_t last = 0;  // the last entry reported: the next scan starts after it
        // Reports entry i (it has revents); false when the scan is over.
        auto report = [&](std::size_t i) {
            --left;
            pollfd& entry = state.fds[i];
            if (entry.fd < 0 || (entry.revents & POLLNVAL)) {
                // Closed without deregister: park it silently, as epoll drops
                // closed fds. (Deregister before close to free the slot.)
                if (entry.fd >= 0) entry.fd = -entry.fd - 1;
                entry.revents = 0;
                return left > 0;
            }
            const Registration& registration = state.registrations[static_cast<std::size_t>(entry.fd)];
            events.push(Event{registration.token.value, static_cast<std::uint32_t>(entry.revents)});
            last = i;
            if (registration.waker) {
                // A Waker's fd is not disarmed: emptying it is its edge,
                // so the next wake() is a plain write (chapter 07).
                drain(entry.fd);
            } else {
                // Edge emulation: what fired is disarmed until rearm/reregister.
                // With nothing left to wait for, the fd stays in the table with
                // `events` 0: poll(2) reports POLLHUP and POLLERR even then, so a
                // hang-up after every interest fired still arrives, as with
                // EPOLLET. A hang-up or error itself is reported once: parked.
                entry.events = static_cast<short>(entry.events & ~entry.revents);
                if ((entry.revents & kFinal) != 0) entry.fd = -entry.fd - 1;
            }
            entry.revents = 0;
            return left > 0 && events.size() < events.capacity();  // the rest come with the next select
        };
        bool more = left > 0;
        for (std::size_t i = start; more && i <= count; ++i)
            if (state.fds[i].revents != 0) more = report(i);
        for (std::size_t i = 1; more && i < start; ++i)
            if (state.fds[i].revents != 0) more = report(i);
        if (last != 0) state.next_scan = last == count ? 1 : last + 1;
        if (events.size() > 0) return {};
        // [disarm]
        // Everything that fired was parked or closed: keep waiting.
    }
}
// [select]

// [register]
io::Result<void> Selector::register_(int fd, Token token, Interest interests) const noexcept {
    if (auto valid = check_fd(fd); !valid) return valid;
    return modify(*state_, [&]() -> io::Result<void> {
        State& state = *state_;
        if (find(state, fd) != nullptr) return std::unexpected(make_error_code(Errc::already_registered));
        try {
            // Grow both tables first: if either throws, nothing has changed
            // (a longer registrations vector of empty entries is harmless).
            const auto slot = static_cast<std::size_t>(fd);
            if (slot >= state.registrations.size()) state.registrations.resize(slot + 1);
            state.fds.push_back(pollfd{});
        } catch (const std::bad_alloc&) {
            return std::unexpected(std::make_error_code(std::errc::not_enough_memory));
        }
        state.registrations[static_cast<std::size_t>(fd)] =
            Registration{.index = static_cast<std::uint32_t>(state.fds.size() - 1),
                         .armed = interests_to_poll(interests),
                         .waker = false,
                         .token = token};
        arm(state.fds.back(), fd, interests_to_poll(interests));
        return {};
    });
}
// [register]

io::Result<void> Selector::register_waker(int fd, Token token) const noexcept {
    if (auto registered = register_(fd, token, Interest::READABLE); !registered) return registered;
    return modify(*state_, [&]() -> io::Result<void> {
        Registration* found = find(*state_, fd);
        if (found == nullptr) return std::unexpected(make_error_code(Errc::not_registered));
        found->waker = true;
        return {};
    });
}

io::Result<void> Selector::reregister(int fd, Token token, Interest interests) const noexcept {
    const Registration::Update update{token, interests_to_poll(interests)};
    return modify(*state_, [&] { return arm_registered(*state_, fd, update); });
}

bool Selector::rearm(int fd) const noexcept {
    // fd by value: captured by reference it would have to live in memory,
    // a store and a load on every short read for the slow path's sake.
    return modify(*state_, [this, fd] { return arm_registered(*state_, fd, std::nullopt).has_value(); });
}

io::Result<void> Selector::deregister(int fd) const noexcept {
    return modify(*state_, [&]() -> io::Result<void> {
        State& state = *state_;
        Registration* found = find(state, fd);
        if (found == nullptr) return std::unexpected(make_error_code(Errc::not_registered));
        // Swap the last pollfd into the hole and fix its registration's index.
        const std::size_t hole = found->index;
        *found = Registration{};
        if (hole != state.fds.size() - 1) {
            state.fds[hole] = state.fds.back();
            const int moved = state.fds[hole].fd < 0 ? -state.fds[hole].fd - 1 : state.fds[hole].fd;
            state.registrations[static_cast<std::size_t>(moved)].index = static_cast<std::uint32_t>(hole);
        }
        state.fds.pop_back();
        return {};
    });
}

}  // namespace metalio::sys::poll
