#include "metalio/sys/windows/selector.hpp"

#include <mswsock.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include "metalio/events.hpp"
#include "metalio/sys/timeout.hpp"
#include "metalio/sys/windows/owned_handle.hpp"
#include "metalio/sys/windows/syscall.hpp"

namespace metalio::sys::iocp {

using windows::OwnedHandle;

namespace {

std::atomic<std::size_t> next_id{1};

// [group-size]
// Sockets per \Device\Afd handle (wepoll's and mio's number). Any AFD
// handle can poll any socket, so one handle per socket would only double
// the kernel handles and file objects of the process. One handle for all
// sockets would queue every poll request of the program on one file
// object, which the driver walks when it completes or cancels one; small
// groups keep those lists short and cost one handle per 32 sockets.
constexpr long kMaxGroupSize = 32;
// [group-size]

// The AFD flags each interest asks for.
constexpr std::uint32_t kReadableInterest = kReadableFlags | kReadClosedFlags;
constexpr std::uint32_t kWritableInterest = kWritableFlags | kWriteClosedFlags;

enum class PollStatus { idle, pending, cancelled };

// [base-socket]
// A layered service provider (LSP) may hand out its own socket handle on
// top of the one the AFD driver knows; polls must name the base one.
io::Result<SOCKET> base_socket(SOCKET socket) noexcept {
    SOCKET base = INVALID_SOCKET;
    DWORD bytes = 0;
    const auto asked = METALIO_WINCALL(fails_with_socket_error, WSAIoctl, socket, DWORD{SIO_BASE_HANDLE},
                                       LPVOID{nullptr}, DWORD{0}, static_cast<LPVOID>(&base), DWORD{sizeof base},
                                       &bytes, LPWSAOVERLAPPED{nullptr},
                                       LPWSAOVERLAPPED_COMPLETION_ROUTINE{nullptr});
    if (!asked) return std::unexpected(asked.error());
    return base;
}
// [base-socket]

}  // namespace

// [sock-state]
struct SockState : std::enable_shared_from_this<SockState> {
    // Owned by the driver while a request is in flight: fixed address.
    IO_STATUS_BLOCK iosb{};
    afd::PollInfo info{};

    std::shared_ptr<afd::Afd> afd;
    SOCKET base = INVALID_SOCKET;

    std::uint32_t user_events = 0;     // wanted and not disarmed by a report
    std::uint32_t pending_events = 0;  // what the request in flight waits for
    std::uint64_t token = 0;
    PollStatus status = PollStatus::idle;
    bool delete_pending = false;       // deregistered or closed: never poll again
    bool queued = false;               // in Inner::update_queue, waiting to be re-armed
};
// [sock-state]

struct Selector::Inner {
    std::size_t id = 0;
    OwnedHandle port{nullptr};

    std::mutex mutex;  // guards everything below and every SockState
    std::vector<std::shared_ptr<afd::Afd>> afds;
    // Every state with a request in flight, kept alive until its completion
    // is dequeued: the kernel writes into its iosb and info until then.
    std::unordered_map<SockState*, std::shared_ptr<SockState>> in_flight;
    // States whose request must be started (or cancelled) again by the next
    // select: after a completion, or after update() failed (mio's update_queue).
    std::vector<std::shared_ptr<SockState>> update_queue;
    // Threads inside GetQueuedCompletionStatusEx (read and written under
    // the mutex). While none is, a reregister only queues its socket.
    std::size_t polling = 0;

    ~Inner();
};

namespace {

// [acquire-afd]
io::Result<std::shared_ptr<afd::Afd>> acquire_afd(Selector::Inner& inner) {
    // Each SockState holds a reference; the vector holds one more.
    if (inner.afds.empty() || inner.afds.back().use_count() > kMaxGroupSize) {
        auto made = afd::Afd::create(inner.port.get(), 0);
        if (!made) return std::unexpected(made.error());
        inner.afds.push_back(std::make_shared<afd::Afd>(std::move(*made)));
    }
    return inner.afds.back();
}

void release_unused_afds(Selector::Inner& inner) {
    std::erase_if(inner.afds, [](const std::shared_ptr<afd::Afd>& afd) { return afd.use_count() == 1; });
}
// [acquire-afd]

// [cancel]
io::Result<void> cancel(SockState& state) noexcept {
    // On failure the request is still in flight and still pending: the
    // caller reports the error, and the next update() tries again.
    if (auto cancelled = state.afd->cancel(state.iosb); !cancelled) return cancelled;
    state.status = PollStatus::cancelled;
    state.pending_events = 0;
    return {};
}

void mark_delete(SockState& state) noexcept {
    if (state.delete_pending) return;
    // A failed cancel is ignored here, as mio ignores it: the request
    // completes by itself (it watches LOCAL_CLOSE at least, and the
    // selector's destructor cancels it again), and delete_pending makes
    // select() drop its completion whenever it comes.
    if (state.status == PollStatus::pending) (void)cancel(state);
    state.delete_pending = true;
}
// [cancel]

void enqueue(Selector::Inner& inner, const std::shared_ptr<SockState>& state) {
    if (state->queued) return;
    inner.update_queue.push_back(state);
    state->queued = true;
}

// [update]
// Makes the request in flight match user_events: keep it, cancel it (its
// completion then starts the right one), or start one.
io::Result<void> update(Selector::Inner& inner, SockState& state) {
    if (state.delete_pending) return {};
    switch (state.status) {
        case PollStatus::pending:
            if ((state.user_events & ~state.pending_events) == 0) return {};  // it watches all of them already
            return cancel(state);  // its completion will start the next one
        case PollStatus::cancelled:
            return {};  // its completion will start the next one
        case PollStatus::idle:
            break;
    }
    state.info.timeout.QuadPart = LLONG_MAX;
    state.info.number_of_handles = 1;
    state.info.exclusive = 0;
    state.info.handles[0].handle = reinterpret_cast<HANDLE>(state.base);
    state.info.handles[0].status = 0;
    // LOCAL_CLOSE always: it is how the selector learns the socket is gone.
    state.info.handles[0].events = state.user_events | afd::kLocalClose;
    auto shared = state.shared_from_this();
    inner.in_flight.emplace(&state, shared);  // allocates before the kernel holds anything
    if (auto started = state.afd->poll(state.info, state.iosb, &state); !started) {
        inner.in_flight.erase(&state);
        if (started.error().value() == ERROR_INVALID_HANDLE) {
            mark_delete(state);  // closed behind our back
            return {};
        }
        return started;
    }
    state.status = PollStatus::pending;
    state.pending_events = state.user_events;
    return {};
}
// [update]

// [feed]
// A request of @p state completed: what does it tell the program?
std::optional<Event> feed(SockState& state) noexcept {
    state.status = PollStatus::idle;
    state.pending_events = 0;
    if (state.delete_pending) return std::nullopt;

    std::uint32_t fired = 0;
    if (state.iosb.Status == afd::kStatusCancelled) {
        // Cancelled by update() to change the events: nothing happened.
    } else if (state.iosb.Status < 0) {
        fired = afd::kConnectFail;  // the request itself failed: report an error
    } else if (state.info.number_of_handles < 1) {
        // Completed without an event (the request timed out).
    } else if ((state.info.handles[0].events & afd::kLocalClose) != 0) {
        mark_delete(state);  // closed in this process: forget it silently, as epoll does
        return std::nullopt;
    } else {
        fired = state.info.handles[0].events;
    }
    fired &= state.user_events;
    if (fired == 0) return std::nullopt;

    // The emulated edge: the flags that fired, and only those, are disarmed
    // until reregister(). ABORT and CONNECT_FAIL stay armed after a RECEIVE
    // or a SEND, so a reset that comes later is still reported.
    state.user_events &= ~fired;
    return Event{fired, state.token};
}
// [feed]

void set_event(SockState& state, Token token, Interest interests) noexcept {
    // A failure is always wanted: the next operation will report it.
    state.user_events = interests_to_afd(interests) | afd::kConnectFail | afd::kAbort;
    state.token = token.value;
}

// [update-queue]
// Starts the requests that the completions of the last select() (or a
// failed update) left to start. A failure is the caller's error, and that
// state stays queued, so the next select() tries it again: the registration
// is never dropped silently. Called before select() dequeues anything, so
// an error never loses an event already taken from the port.
io::Result<void> update_queued(Selector::Inner& inner) noexcept {
    auto& queue = inner.update_queue;
    std::size_t done = 0;
    io::Result<void> result{};
    for (; done < queue.size(); ++done) {
        SockState& state = *queue[done];
        try {
            result = update(inner, state);
        } catch (const std::bad_alloc&) {
            result = std::unexpected(std::make_error_code(std::errc::not_enough_memory));
        }
        if (!result) break;
        state.queued = false;
    }
    queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(done));
    return result;
}
// [update-queue]

}  // namespace

// [drop]
Selector::Inner::~Inner() {
    // Requests in flight write into their SockState when they complete, so
    // cancel them all and wait for every completion before freeing anything.
    const std::lock_guard lock(mutex);
    for (auto& [raw, state] : in_flight) mark_delete(*state);
    OVERLAPPED_ENTRY entries[64];
    while (!in_flight.empty()) {
        ULONG removed = 0;
        // Cancelled requests complete at once; the bound only guards a
        // driver that never completes them (the states then leak, safely).
        if (!::GetQueuedCompletionStatusEx(port.get(), entries, 64, &removed, 5000, FALSE)) {
            // Leaked on purpose: memory the kernel may still write to must
            // never be freed.
            for (auto& entry : in_flight) (void)new std::shared_ptr<SockState>(entry.second);
            break;
        }
        for (ULONG i = 0; i < removed; ++i) {
            if (entries[i].lpOverlapped != nullptr) in_flight.erase(reinterpret_cast<SockState*>(entries[i].lpOverlapped));
        }
    }
}
// [drop]

// [interests-to-afd]
std::uint32_t interests_to_afd(Interest interests) noexcept {
    std::uint32_t flags = 0;
    if (interests.is_readable()) flags |= kReadableInterest;
    if (interests.is_writable()) flags |= kWritableInterest;
    if (interests.is_priority()) flags |= afd::kReceiveExpedited;
    return flags;
}
// [interests-to-afd]

// [create]
io::Result<Selector> Selector::create() noexcept {
    auto port = METALIO_WINCALL(fails_with_null, CreateIoCompletionPort, INVALID_HANDLE_VALUE, HANDLE{nullptr},
                                ULONG_PTR{0}, DWORD{0});
    if (!port) return std::unexpected(port.error());
    OwnedHandle owned(*port);
    try {
        auto inner = std::make_shared<Inner>();
        inner->id = next_id.fetch_add(1, std::memory_order_relaxed);
        inner->port = std::move(owned);
        return Selector(std::move(inner));
    } catch (const std::bad_alloc&) {
        return std::unexpected(std::make_error_code(std::errc::not_enough_memory));
    }
}
// [create]

io::Result<Selector> Selector::try_clone() const noexcept { return Selector(std::shared_ptr<Inner>(inner_)); }

std::size_t Selector::id() const noexcept { return inner_->id; }
HANDLE Selector::port() const noexcept { return inner_->port.get(); }

std::size_t Selector::afd_handle_count() const noexcept {
    const std::lock_guard lock(inner_->mutex);
    return inner_->afds.size();
}

std::size_t Selector::polls_in_flight() const noexcept {
    const std::lock_guard lock(inner_->mutex);
    return inner_->in_flight.size();
}

// [select]
io::Result<void> Selector::select(Events& events, std::optional<std::chrono::nanoseconds> timeout) const noexcept {
    events.clear();
    if (events.capacity() == 0) return std::unexpected(make_error_code(Errc::zero_capacity_events));
    const auto millis = timeout_to_millis(timeout);
    if (!millis) return std::unexpected(millis.error());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(*millis, 0));

    Inner& inner = *inner_;
    {
        // Registrations dropped since the last select may have left an AFD
        // handle without sockets: close it.
        const std::lock_guard lock(inner.mutex);
        release_unused_afds(inner);
    }
    OVERLAPPED_ENTRY entries[64];
    const ULONG room = static_cast<ULONG>(std::min<std::size_t>(events.capacity(), 64));
    for (;;) {
        {
            // Re-arm the sockets whose last request completed (mio does it
            // here too, at the start of select).
            const std::lock_guard lock(inner.mutex);
            if (auto rearmed = update_queued(inner); !rearmed) return rearmed;
            // Room to queue every completion of this turn, so that queueing
            // one never fails after it was taken from the port.
            try {
                inner.update_queue.reserve(inner.update_queue.size() + room);
            } catch (const std::bad_alloc&) {
                return std::unexpected(std::make_error_code(std::errc::not_enough_memory));
            }
            ++inner.polling;
        }
        DWORD wait_ms = *millis < 0 ? INFINITE : static_cast<DWORD>(*millis);
        if (*millis > 0) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            wait_ms = static_cast<DWORD>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
        }
        ULONG removed = 0;
        const auto waited = METALIO_WINCALL(fails_with_false, GetQueuedCompletionStatusEx, inner.port.get(), entries,
                                            room, &removed, wait_ms, FALSE);
        const std::lock_guard lock(inner.mutex);
        --inner.polling;
        if (!waited) {
            if (waited.error().value() == WAIT_TIMEOUT) return {};
            return std::unexpected(waited.error());
        }

        for (ULONG i = 0; i < removed; ++i) {
            if (entries[i].lpOverlapped == nullptr) {
                // A Waker's PostQueuedCompletionStatus: the key is its token.
                events.push(Event{afd::kReceive, static_cast<std::uint64_t>(entries[i].lpCompletionKey)});
                continue;
            }
            // A poll request completed: take back the reference it held.
            auto* raw = reinterpret_cast<SockState*>(entries[i].lpOverlapped);
            const auto found = inner.in_flight.find(raw);
            if (found == inner.in_flight.end()) continue;  // cannot happen: every request is in the map
            const std::shared_ptr<SockState> state = std::move(found->second);
            inner.in_flight.erase(found);
            if (const auto event = feed(*state)) events.push(*event);
            // Poll again for what is still wanted (at least LOCAL_CLOSE),
            // but not now: a failure here would have to drop the events
            // already taken. The next select() (or the next turn of this
            // loop) starts it, and reports a failure.
            if (!state->delete_pending) {
                try {
                    enqueue(inner, state);  // within the room reserved above
                } catch (const std::bad_alloc&) {
                    // Another thread's failed reregister took the room, and
                    // memory ran out: re-arm now, or forget the socket.
                    bool started = false;
                    try {
                        started = update(inner, *state).has_value();
                    } catch (const std::bad_alloc&) {
                    }
                    if (!started) mark_delete(*state);
                }
            }
        }
        release_unused_afds(inner);
        if (events.size() > 0 || *millis == 0) return {};
        // Only cancellations and filtered completions: re-arm and keep waiting.
    }
}
// [select]

// [register]
io::Result<std::shared_ptr<SockState>> Selector::register_(SOCKET socket, Token token,
                                                           Interest interests) const noexcept {
    const auto base = base_socket(socket);
    if (!base) return std::unexpected(base.error());
    Inner& inner = *inner_;
    const std::lock_guard lock(inner.mutex);
    try {
        auto afd = acquire_afd(inner);
        if (!afd) return std::unexpected(afd.error());
        auto state = std::make_shared<SockState>();
        state->afd = std::move(*afd);
        state->base = *base;
        set_event(*state, token, interests);
        if (auto started = update(inner, *state); !started) {
            state->afd.reset();
            release_unused_afds(inner);
            return std::unexpected(started.error());
        }
        return state;
    } catch (const std::bad_alloc&) {
        release_unused_afds(inner);
        return std::unexpected(std::make_error_code(std::errc::not_enough_memory));
    }
}
// [register]

// [reregister]
io::Result<void> Selector::reregister(SockState& state, Token token, Interest interests) const noexcept {
    const std::lock_guard lock(inner_->mutex);
    if (state.delete_pending) return std::unexpected(make_error_code(Errc::not_registered));
    set_event(state, token, interests);
    try {
        if (state.status == PollStatus::idle && inner_->polling == 0) {
            // Nobody waits on the port, so nothing is lost by starting the
            // request at the next select() (as mio does): the re-arm after
            // WouldBlock then costs no system call here, the next select()
            // starts every queued socket in one pass, and the request sees
            // the socket as it is then (an error the program took with
            // take_error() in between is not reported again).
            enqueue(*inner_, state.shared_from_this());
            return {};
        }
        auto updated = update(*inner_, state);
        // A failed cancel or start is reported, and the next select() tries
        // again (IoSource's re-arm after WouldBlock ignores the result).
        if (!updated && !state.delete_pending) enqueue(*inner_, state.shared_from_this());
        return updated;
    } catch (const std::bad_alloc&) {
        return std::unexpected(std::make_error_code(std::errc::not_enough_memory));
    }
}
// [reregister]

io::Result<void> Selector::deregister(SockState& state) const noexcept {
    const std::lock_guard lock(inner_->mutex);
    if (state.delete_pending) return std::unexpected(make_error_code(Errc::not_registered));
    mark_delete(state);
    return {};
}

// [wake]
io::Result<void> Selector::wake(Token token) const noexcept {
    const auto posted = METALIO_WINCALL(fails_with_false, PostQueuedCompletionStatus, inner_->port.get(), DWORD{0},
                                        static_cast<ULONG_PTR>(token.value), LPOVERLAPPED{nullptr});
    if (!posted) return std::unexpected(posted.error());
    return {};
}
// [wake]

}  // namespace metalio::sys::iocp
