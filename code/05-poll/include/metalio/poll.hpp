/// @file
/// Poll: the facade a program starts from.
#pragma once

#include <chrono>
#include <optional>

#include "metalio/events.hpp"
#include "metalio/registry.hpp"

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

private:
    explicit Poll(Registry registry) noexcept : registry_(std::move(registry)) {}

    Registry registry_;
};
// [poll]

}  // namespace metalio
