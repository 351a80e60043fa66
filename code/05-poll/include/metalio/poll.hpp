/// @file
/// Poll: the facade a program starts from.
#pragma once

#include <chrono>
#include <optional>

#include "metalio/events.hpp"
#include "metalio/registry.hpp"
#include "metalio/sys/timeout.hpp"

namespace metalio {

// [poll]
/// Owns the selector (through its Registry) and waits for events: mio's `Poll`.
///
/// Why a facade over Registry: registering is safe from any thread at any
/// time, waiting is not (one thread polls), and C++ can say that with
/// const-ness. registry() hands out a `const Registry&` that every thread
/// may use; poll() is a non-const member, so only the owner of the Poll can
/// wait. Move-only, like the selector it owns. Introduced in chapter 05 (poll).
class Poll {
public:
    /// Creates the selector (epoll_create1, or the poll(2) table).
    /// (mio: `Poll::new`; `new` is a C++ keyword.)
    static io::Result<Poll> create() noexcept;

    /// The registry: register, reregister and deregister sources through it.
    [[nodiscard]] const Registry& registry() const noexcept { return registry_; }

    /// Waits until at least one event is ready or @p timeout passes, and puts
    /// the events in @p events (replacing what it held). No timeout: wait as
    /// long as it takes. Zero: check and return at once. Sub-millisecond
    /// timeouts round up to 1 ms. A signal ends the wait with an
    /// is_interrupted() error; simply poll again.
    io::Result<void> poll(Events& events, std::optional<std::chrono::nanoseconds> timeout) noexcept {
        return registry_.selector().select(events, timeout);
    }
    // [any-duration]
    /// The same with a timeout in any `std::chrono` unit (`hours::max()`,
    /// `years{400}`, a `duration<double>`): converted without overflow by
    /// sys::saturating_nanoseconds, so a wait too long to express means "as
    /// long as the OS allows", never a negative-timeout error.
    template <class Rep, class Period>
    io::Result<void> poll(Events& events, std::chrono::duration<Rep, Period> timeout) noexcept {
        return poll(events, std::optional(sys::saturating_nanoseconds(timeout)));
    }
    /// The same with an optional timeout in any unit (empty: no limit).
    template <class Rep, class Period>
    io::Result<void> poll(Events& events, std::optional<std::chrono::duration<Rep, Period>> timeout) noexcept {
        if (!timeout) return poll(events, std::nullopt);
        return poll(events, *timeout);
    }
    // [any-duration]

#if !METALIO_SELECTOR_POLL && !METALIO_SELECTOR_IOCP  // IOCP: mio's Windows Poll has no raw handle either
    // [as-raw-fd]
    /// The epoll instance, as mio's `AsRawFd for Poll` gives it: another
    /// event loop can watch it (it is readable when an event is pending).
    /// Only on epoll: the poll(2) selector has no kernel object, and its one
    /// fd, an internal wake-up eventfd, is no readiness fd (chapter 05).
    [[nodiscard]] int as_raw_fd() const noexcept { return registry_.selector().as_raw_fd(); }
    // [as-raw-fd]
#endif

private:
    explicit Poll(Registry registry) noexcept : registry_(std::move(registry)) {}

    Registry registry_;
};
// [poll]

}  // namespace metalio
