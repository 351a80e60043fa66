#include "metalio/rt/reactor.hpp"

#include "metalio/rt/registration.hpp"

namespace metalio::rt {

Reactor::Reactor(Poll poll) : poll_(std::move(poll)), events_(Events::with_capacity(1024)) {}

Reactor::~Reactor() {
    // An I/O object that outlives its runtime must not come back here.
    for (const auto& io : slab_) {
        if (io->registration_ != nullptr) io->registration_->io_ = nullptr;
    }
}

// [slab]
ScheduledIo& Reactor::allocate() {
    if (ScheduledIo* io = free_) {
        free_ = io->next_;
        io->next_ = nullptr;
        io->reuse();
        return *io;
    }
    auto io = std::make_unique<ScheduledIo>(*this, static_cast<std::uint32_t>(slab_.size()));
    return *slab_.emplace_back(std::move(io));
}

void Reactor::retire(ScheduledIo& io) noexcept {
    io.retire(orphans_);
    io.next_ = pending_;
    pending_ = &io;
}

void Reactor::release_pending(Executor& executor) noexcept {
    // Waiters of a record whose source is gone run once more, see the new
    // generation and give Errc::io_closed; the record itself is free now.
    executor.schedule_all(orphans_);
    while (ScheduledIo* io = pending_) {
        pending_ = io->next_;
        io->next_ = free_;
        free_ = io;
    }
}
// [slab]

// [turn]
io::Result<bool> Reactor::turn(std::optional<std::chrono::nanoseconds> timeout, Executor& executor) {
    if (pending_ != nullptr || !orphans_.empty()) release_pending(executor);
    if (auto polled = poll_.poll(events_, timeout); !polled) {
        if (io::is_interrupted(polled.error())) return false;  // a signal: the caller turns again
        return std::unexpected(polled.error());
    }
    bool woken = false;
    // Read once: queueing waiters stores through pointers the compiler
    // cannot tell from the vector's own, and nothing here adds a record.
    const std::unique_ptr<ScheduledIo>* const slab = slab_.data();
    const std::size_t records = slab_.size();
    for (const Event& event : events_) {
        const std::size_t token = event.token().value;
        if (event.token() == kWakeToken) {
            woken = true;
            continue;
        }
        const std::size_t index = token & 0xffff'ffffU;
        const std::size_t generation = token >> 32;
        if (index < records && slab[index]->generation() == generation) {
            slab[index]->set_readiness(event, executor);
        } else {
            ++stale_events_;  // its source was deregistered: nobody to tell
        }
    }
    return woken;
}
// [turn]

}  // namespace metalio::rt
