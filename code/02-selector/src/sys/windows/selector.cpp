#include "metalio/sys/windows/selector.hpp"

#include <mswsock.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <mutex>
#include <new>
#include <utility>
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

// The AFD flags each interest asks for (kRearmFailed is the selector's own,
// never the driver's).
constexpr std::uint32_t kReadableInterest = (kReadableFlags | kReadClosedFlags) & ~kRearmFailed;
constexpr std::uint32_t kWritableInterest = (kWritableFlags | kWriteClosedFlags) & ~kRearmFailed;

enum class PollStatus { idle, pending, cancelled };

// [base-socket]
io::Result<SOCKET> ask_base_socket(SOCKET socket, DWORD ioctl) noexcept {
    SOCKET base = INVALID_SOCKET;
    DWORD bytes = 0;
    const auto asked = METALIO_WINCALL(fails_with_socket_error, WSAIoctl, socket, ioctl, LPVOID{nullptr}, DWORD{0},
                                       static_cast<LPVOID>(&base), DWORD{sizeof base}, &bytes,
                                       LPWSAOVERLAPPED{nullptr}, LPWSAOVERLAPPED_COMPLETION_ROUTINE{nullptr});
    if (!asked) return std::unexpected(asked.error());
    return base;
}

// A layered service provider (LSP: some antivirus and VPN products) may hand
// out its own socket handle on top of the one the AFD driver knows; polls
// must name the base one. SIO_BASE_HANDLE asks for it and no LSP should
// intercept it, but some do and fail it; then mio, and metalio, ask the
// three ioctls an LSP answers for select() and WSAPoll(), in that order.
// mio takes their answer only when it differs from the socket itself;
// metalio takes the first answer and lets register() find out at once
// whether the driver knows that handle: its first poll starts there, and a
// handle the driver rejects fails the registration.
io::Result<SOCKET> base_socket(SOCKET socket) noexcept {
    const auto base = ask_base_socket(socket, SIO_BASE_HANDLE);
    if (base) return base;
    for (const DWORD ioctl : {DWORD{SIO_BSP_HANDLE_SELECT}, DWORD{SIO_BSP_HANDLE_POLL}, DWORD{SIO_BSP_HANDLE}}) {
        if (const auto provider = ask_base_socket(socket, ioctl)) return provider;
    }
    return base;  // all four failed: SIO_BASE_HANDLE's error says most
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
    // A re-arm that failed in select(), where it cannot be the caller's
    // error: kept here, announced by an event for this token, and returned
    // by the next reregister() (the socket's next operation that would block).
    std::error_code error;

    // While a request is in flight, the reference it holds. The kernel hands
    // its completion back with the OVERLAPPED pointer the request carried,
    // which is the state's address; select() takes this reference back from
    // there (mio passes an Arc through that pointer the same way). Set and
    // taken by moving a shared_ptr, so a poll allocates nothing.
    std::shared_ptr<SockState> request_ref;
    // The links of Inner's list of states with a request in flight, in the
    // state itself for the same reason (the destructor cancels them).
    SockState* prev_in_flight = nullptr;
    SockState* next_in_flight = nullptr;
};
// [sock-state]

struct Selector::Inner {
    std::size_t id = 0;
    OwnedHandle port{nullptr};

    std::mutex mutex;  // guards everything below and every SockState
    std::vector<std::shared_ptr<afd::Afd>> afds;
    // Every state with a request in flight (each kept alive by its own
    // request_ref until its completion is dequeued: the kernel writes into
    // its iosb and info until then), linked through the states themselves.
    SockState* in_flight = nullptr;
    std::size_t in_flight_count = 0;
    // States whose request must be started (or cancelled) again by the next
    // select: after a completion, or after update() failed (mio's update_queue).
    std::vector<std::shared_ptr<SockState>> update_queue;
    // Threads inside GetQueuedCompletionStatusEx (read and written under
    // the mutex). While none is, a reregister only queues its socket.
    std::size_t polling = 0;
    // A thread is in select(): one at a time, as in mio (which asserts it).
    bool selecting = false;
    // What GetQueuedCompletionStatusEx fills: as many entries as the
    // largest Events a select() was given, so one call can return a full
    // batch; it grows with the capacity and is reused.
    std::vector<OVERLAPPED_ENTRY> entries;

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

// [request-ref]
// A request is about to start: it holds a reference until its completion.
void hold_for_request(Selector::Inner& inner, SockState& state) noexcept {
    state.request_ref = state.shared_from_this();
    state.prev_in_flight = nullptr;
    state.next_in_flight = inner.in_flight;
    if (inner.in_flight != nullptr) inner.in_flight->prev_in_flight = &state;
    inner.in_flight = &state;
    ++inner.in_flight_count;
}

// The request of @p state completed (or never started): its reference, back.
std::shared_ptr<SockState> take_request_ref(Selector::Inner& inner, SockState& state) noexcept {
    if (state.prev_in_flight != nullptr) {
        state.prev_in_flight->next_in_flight = state.next_in_flight;
    } else {
        inner.in_flight = state.next_in_flight;
    }
    if (state.next_in_flight != nullptr) state.next_in_flight->prev_in_flight = state.prev_in_flight;
    state.prev_in_flight = state.next_in_flight = nullptr;
    --inner.in_flight_count;
    return std::move(state.request_ref);
}
// [request-ref]

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
    hold_for_request(inner, state);
    if (auto started = state.afd->poll(state.info, state.iosb, &state); !started) {
        // The caller holds a reference too, so this one is not the last.
        (void)take_request_ref(inner, state);
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
// reregister) left to start. One socket's failure is that socket's, not the
// caller's: the error is kept on the socket and an event with kRearmFailed
// (readable, writable and error) wakes its owner, whose next operation that
// would block gets the error from reregister(); the other sockets go on.
// Called before select() dequeues anything. @p report(event) takes the
// event, or answers false when it has no room, and then the socket stays
// queued for the next select().
template <class Report>
void update_queued(Selector::Inner& inner, Report report) noexcept {
    auto& queue = inner.update_queue;
    std::size_t kept = 0;  // states left queued for the next select, moved to the front
    for (std::size_t i = 0; i < queue.size(); ++i) {
        SockState& state = *queue[i];
        if (auto updated = update(inner, state); updated || state.delete_pending) {
            state.queued = false;
            continue;
        } else if (report(Event{kRearmFailed, state.token})) {
            state.error = updated.error();
            state.queued = false;
            continue;
        }
        queue[kept++] = std::move(queue[i]);
    }
    queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(kept), queue.end());
}
// [update-queue]

}  // namespace

// [drop]
Selector::Inner::~Inner() {
    // Requests in flight write into their SockState when they complete, so
    // a state must outlive its request. Cancel them all, take back the
    // references of those whose completion is queued already, without
    // waiting (mio drains with a zero timeout too): this runs on whichever
    // thread drops the last handle, which may be an event loop.
    const std::lock_guard lock(mutex);
    for (SockState* state = in_flight; state != nullptr; state = state->next_in_flight) mark_delete(*state);
    OVERLAPPED_ENTRY entries[64];
    ULONG removed = 0;
    while (in_flight != nullptr && ::GetQueuedCompletionStatusEx(port.get(), entries, 64, &removed, 0, FALSE)) {
        for (ULONG i = 0; i < removed; ++i) {
            if (entries[i].lpOverlapped == nullptr) continue;  // a wake-up
            (void)take_request_ref(*this, *reinterpret_cast<SockState*>(entries[i].lpOverlapped));
        }
    }
    // A request still in flight keeps its state, and that state its AFD
    // handle, through its own request_ref: leaked on purpose, as in mio,
    // because memory the kernel may still write to must never be freed.
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
    return inner_->in_flight_count;
}

// [select]
io::Result<void> Selector::select(Events& events, std::optional<std::chrono::nanoseconds> timeout) const noexcept {
    events.clear();
    if (events.capacity() == 0) return std::unexpected(make_error_code(Errc::zero_capacity_events));
    const auto millis = timeout_to_millis(timeout);
    if (!millis) return std::unexpected(millis.error());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(*millis, 0));

    Inner& inner = *inner_;
    // The batch: as many completions as @p events has room for (mio sizes
    // it the same way), at most what one call can take.
    const std::size_t batch = std::min<std::size_t>(events.capacity(), ULONG_MAX);
    {
        const std::lock_guard lock(inner.mutex);
        // The completions and the update queue are the selector's, not the
        // thread's: a second thread here would take half of them.
        if (inner.selecting) return std::unexpected(std::make_error_code(std::errc::device_or_resource_busy));
        try {
            if (inner.entries.size() < batch) inner.entries.resize(batch);
        } catch (const std::bad_alloc&) {
            return std::unexpected(std::make_error_code(std::errc::not_enough_memory));
        }
        inner.selecting = true;
        // Registrations dropped since the last select may have left an AFD
        // handle without sockets: close it.
        release_unused_afds(inner);
    }
    struct Selecting {
        Inner& inner;
        ~Selecting() {
            const std::lock_guard lock(inner.mutex);
            inner.selecting = false;
        }
    } selecting{inner};
    OVERLAPPED_ENTRY* const entries = inner.entries.data();  // only this thread uses it until `selecting` ends
    for (;;) {
        ULONG room = 0;
        {
            // Re-arm the sockets whose last request completed (mio does it
            // here too, at the start of select); a failure becomes an event.
            const std::lock_guard lock(inner.mutex);
            update_queued(inner, [&events](const Event& failed) {
                if (events.size() == events.capacity()) return false;
                events.push(failed);
                return true;
            });
            room = static_cast<ULONG>(events.capacity() - events.size());
            if (room == 0) return {};  // full of re-arm failures
            // Room to queue every completion of this turn, so that queueing
            // one never fails after it was taken from the port.
            try {
                inner.update_queue.reserve(inner.update_queue.size() + room);
            } catch (const std::bad_alloc&) {
                if (events.size() > 0) return {};
                return std::unexpected(std::make_error_code(std::errc::not_enough_memory));
            }
            ++inner.polling;
        }
        DWORD wait_ms = *millis < 0 ? INFINITE : static_cast<DWORD>(*millis);
        if (*millis > 0) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            wait_ms = static_cast<DWORD>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
        }
        if (events.size() > 0) wait_ms = 0;  // re-arm failures to report: do not wait
        ULONG removed = 0;
        const auto waited = METALIO_WINCALL(fails_with_false, GetQueuedCompletionStatusEx, inner.port.get(), entries,
                                            room, &removed, wait_ms, FALSE);
        const std::lock_guard lock(inner.mutex);
        --inner.polling;
        if (!waited) {
            if (waited.error().value() == WAIT_TIMEOUT || events.size() > 0) return {};
            return std::unexpected(waited.error());
        }

        for (ULONG i = 0; i < removed; ++i) {
            if (entries[i].lpOverlapped == nullptr) {
                // A Waker's PostQueuedCompletionStatus: the key is its token.
                events.push(Event{afd::kReceive, static_cast<std::uint64_t>(entries[i].lpCompletionKey)});
                continue;
            }
            // A poll request completed: take back the reference it held.
            const std::shared_ptr<SockState> state =
                take_request_ref(inner, *reinterpret_cast<SockState*>(entries[i].lpOverlapped));
            if (const auto event = feed(*state)) events.push(*event);
            // Poll again for what is still wanted (at least LOCAL_CLOSE),
            // but not now: a failure here would have to drop the events
            // already taken. The next select() (or the next turn of this
            // loop) starts it, and reports a failure.
            if (!state->delete_pending) {
                try {
                    enqueue(inner, state);  // within the room reserved above
                } catch (const std::bad_alloc&) {
                    // Another thread's reregister took the room, and
                    // memory ran out: re-arm now, or forget the socket.
                    if (!update(inner, *state)) mark_delete(*state);
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
        auto started = update(inner, *state);
        // update() takes ERROR_INVALID_HANDLE for a socket closed behind its
        // back; at registration it means the driver does not know the handle
        // (base_socket() took an LSP's answer): an error here.
        if (started && state->delete_pending) started = std::unexpected(windows::error_code(ERROR_INVALID_HANDLE));
        if (!started) {
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
    // A re-arm that failed in select() (see update_queued) is reported here,
    // once, after the socket has been re-armed below all the same.
    const std::error_code failed_rearm = std::exchange(state.error, {});
    io::Result<void> updated{};
    try {
        if (state.status == PollStatus::idle && inner_->polling == 0) {
            // Nobody waits on the port, so nothing is lost by starting the
            // request at the next select() (as mio does): the re-arm after
            // WouldBlock then costs no system call here, the next select()
            // starts every queued socket in one pass, and the request sees
            // the socket as it is then (an error the program took with
            // take_error() in between is not reported again).
            enqueue(*inner_, state.shared_from_this());
        } else {
            updated = update(*inner_, state);
            // A failed cancel or start is reported, and the next select()
            // tries again.
            if (!updated && !state.delete_pending) enqueue(*inner_, state.shared_from_this());
        }
    } catch (const std::bad_alloc&) {
        updated = std::unexpected(std::make_error_code(std::errc::not_enough_memory));
    }
    if (failed_rearm) return std::unexpected(failed_rearm);
    return updated;
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
