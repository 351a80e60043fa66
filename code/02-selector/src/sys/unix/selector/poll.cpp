#include "metalio/sys/unix/selector/poll.hpp"

#include <fcntl.h>
#include <sys/eventfd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "metalio/events.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/sys/syscall.hpp"
#include "metalio/sys/timeout.hpp"

namespace metalio::sys::poll {
namespace {

std::atomic<std::size_t> next_id{1};

struct Registration {
    std::size_t index;  // into State::fds
    Token token;
    short armed;        // the events to wait for, before disarming

    struct Update {
        Token token;
        short armed;
    };
};

// Events that mean "this fd will not get better". poll(2) reports them even
// for an entry whose `events` is 0, on every call: an fd that reported them
// is parked (its fd made negative, which poll(2) skips), or it would wake
// every later poll at once.
constexpr short kFinal = POLLHUP | POLLERR;

}  // namespace

// [state]
struct Selector::State {
    std::size_t id;
    OwnedFd notify{-1};  // eventfd: written by register & co. to interrupt poll(2)

    std::mutex mutex;  // held by select() for the whole poll(2) call
    // fds[0] is `notify`. An entry whose interests all fired keeps its fd
    // with `events` 0, so poll(2) still reports its hang-up or error; an
    // entry with a negative fd is parked after one, and poll(2) skips it.
    std::vector<pollfd> fds;
    std::unordered_map<int, Registration> registrations;
    std::size_t next_scan = 1;  // where the next select starts scanning: fairness

    // Changes waiting for the mutex: select() lets them in before polling again.
    std::atomic<std::size_t> waiting{0};
    std::condition_variable changes_done;
};
// [state]

namespace {

// The internal eventfd is read and written with plain ::read / ::write, not
// METALIO_SYSCALL: its errors carry no information the caller could use
// (EAGAIN means "already empty" or "already signalled", both fine), and
// fault injection aimed at a user's read() must not hit this wake-up path.
void drain(int fd) noexcept {
    std::uint64_t count;
    (void)!::read(fd, &count, sizeof count);  // EAGAIN when empty: fine
}

// [modify]
// Runs `change` under the mutex. If another thread is blocked in poll(2)
// holding it, the eventfd write makes that poll return so it lets us in.
template <class Change>
auto modify(Selector::State& state, Change change) {
    state.waiting.fetch_add(1);
    const std::uint64_t one = 1;
    (void)!::write(state.notify.get(), &one, sizeof one);
    std::unique_lock lock(state.mutex);
    drain(state.notify.get());
    auto result = change();
    if (state.waiting.fetch_sub(1) == 1) state.changes_done.notify_all();
    return result;
}
// [modify]

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
io::Result<void> arm_registered(Selector::State& state, int fd,
                                std::optional<Registration::Update> update) noexcept {
    const auto found = state.registrations.find(fd);
    if (found == state.registrations.end()) return std::unexpected(make_error_code(Errc::not_registered));
    if (update) {
        found->second.token = update->token;
        found->second.armed = update->armed;
    }
    arm(state.fds[found->second.index], fd, found->second.armed);
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
    auto notify = METALIO_SYSCALL(eventfd, 0u, EFD_CLOEXEC | EFD_NONBLOCK);
    if (!notify) return std::unexpected(notify.error());
    OwnedFd owned(*notify);
    try {
        auto state = std::make_shared<State>();
        state->id = next_id.fetch_add(1, std::memory_order_relaxed);
        state->fds.push_back(pollfd{owned.get(), POLLIN, 0});
        state->notify = static_cast<OwnedFd&&>(owned);
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
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(*millis, 0));

    State& state = *state_;
    std::unique_lock lock(state.mutex);
    for (;;) {
        // [let-changes-in]
        // Let waiting register/reregister/deregister calls in first.
        state.changes_done.wait(lock, [&] { return state.waiting.load() == 0; });

        int wait_ms = *millis;
        if (wait_ms > 0) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            wait_ms = static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
        }
        const auto ready = METALIO_SYSCALL(poll, state.fds.data(), static_cast<nfds_t>(state.fds.size()), wait_ms);
        // EAGAIN: the kernel could not allocate its tables this time, "but
        // the request may be attempted again" (poll(2)). mio retries; so do
        // we, with the time that is left. (EINTR still goes to the caller.)
        if (!ready && ready.error() == std::errc::resource_unavailable_try_again) continue;
        if (!ready) return std::unexpected(ready.error());
        if (*ready == 0) return {};  // timed out

        const bool interrupted_by_change = state.fds[0].revents != 0;
        if (interrupted_by_change) drain(state.notify.get());
        if (*ready == (interrupted_by_change ? 1 : 0)) continue;  // only a change: poll again
        // [let-changes-in]

        // [disarm]
        // Report ready fds, starting where the last select stopped so that
        // a small Events capacity cannot starve the fds at the end.
        const std::size_t count = state.fds.size() - 1;
        const std::size_t start = state.next_scan;  // fixed for this scan; next_scan moves below
        for (std::size_t step = 0; step < count && events.size() < events.capacity(); ++step) {
            const std::size_t i = 1 + (start - 1 + step) % count;
            pollfd& entry = state.fds[i];
            if (entry.revents == 0 || entry.fd < 0) continue;
            if (entry.revents & POLLNVAL) {
                // Closed without deregister: park it silently, as epoll drops
                // closed fds. (Deregister before close to free the slot.)
                entry.fd = -entry.fd - 1;
                entry.revents = 0;
                continue;
            }
            events.push(Event{state.registrations.at(entry.fd).token.value, static_cast<std::uint32_t>(entry.revents)});
            // Edge emulation: what fired is disarmed until rearm/reregister.
            // With nothing left to wait for, the fd stays in the table with
            // `events` 0: poll(2) reports POLLHUP and POLLERR even then, so a
            // hang-up after every interest fired still arrives, as with
            // EPOLLET. A hang-up or error itself is reported once: parked.
            entry.events = static_cast<short>(entry.events & ~entry.revents);
            if ((entry.revents & kFinal) != 0) entry.fd = -entry.fd - 1;
            entry.revents = 0;
            state.next_scan = i + 1 > count ? 1 : i + 1;
        }
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
        if (state.registrations.contains(fd)) return std::unexpected(make_error_code(Errc::already_registered));
        try {
            state.fds.push_back(pollfd{});
            state.registrations.emplace(fd, Registration{state.fds.size() - 1, token, interests_to_poll(interests)});
        } catch (const std::bad_alloc&) {
            if (state.fds.size() > state.registrations.size() + 1) state.fds.pop_back();
            return std::unexpected(std::make_error_code(std::errc::not_enough_memory));
        }
        arm(state.fds.back(), fd, interests_to_poll(interests));
        return {};
    });
}
// [register]

io::Result<void> Selector::reregister(int fd, Token token, Interest interests) const noexcept {
    const Registration::Update update{token, interests_to_poll(interests)};
    return modify(*state_, [&] { return arm_registered(*state_, fd, update); });
}

io::Result<void> Selector::rearm(int fd) const noexcept {
    return modify(*state_, [&] { return arm_registered(*state_, fd, std::nullopt); });
}

io::Result<void> Selector::deregister(int fd) const noexcept {
    return modify(*state_, [&]() -> io::Result<void> {
        State& state = *state_;
        const auto found = state.registrations.find(fd);
        if (found == state.registrations.end()) return std::unexpected(make_error_code(Errc::not_registered));
        // Swap the last pollfd into the hole and fix its registration's index.
        const std::size_t hole = found->second.index;
        state.registrations.erase(found);
        if (hole != state.fds.size() - 1) {
            state.fds[hole] = state.fds.back();
            const int moved = state.fds[hole].fd < 0 ? -state.fds[hole].fd - 1 : state.fds[hole].fd;
            state.registrations.at(moved).index = hole;
        }
        state.fds.pop_back();
        return {};
    });
}

}  // namespace metalio::sys::poll
