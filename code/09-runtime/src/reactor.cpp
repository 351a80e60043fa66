#include "metalio/rt/reactor.hpp"

namespace metalio::rt {

Reactor::Reactor(Poll poll) : poll_(std::move(poll)), events_(Events::with_capacity(1024)) {}

// [turn]
io::Result<bool> Reactor::turn(std::optional<std::chrono::nanoseconds> timeout, Executor& executor) {
    if (auto polled = poll_.poll(events_, timeout); !polled) {
        if (io::is_interrupted(polled.error())) return false;  // a signal: the caller turns again
        return std::unexpected(polled.error());
    }
    bool woken = false;
    for (const Event event : events_) {
        if (event.token() == kWakeToken) {
            woken = true;
            continue;
        }
        reinterpret_cast<ScheduledIo*>(event.token().value)->set_readiness(event, executor);
    }
    return woken;
}
// [turn]

}  // namespace metalio::rt
