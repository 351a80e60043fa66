#include "metalio/rt/timers.hpp"

#include <exception>

#include "metalio/rt/context.hpp"

namespace metalio::rt {

void Timers::Entry::cancel() noexcept {
    if (timers_ != nullptr) {
        timers_->queue_.erase(position_);
        timers_ = nullptr;
    }
    waiter.unlink();
}

Timers::~Timers() {
    for (auto& [deadline, entry] : queue_) entry->timers_ = nullptr;
}

void Timers::insert(Entry& entry, TimePoint deadline) {
    entry.cancel();
    // multimap inserts after equal keys: same deadline, first come first fired.
    entry.position_ = queue_.emplace(deadline, &entry);
    entry.timers_ = this;
}

std::optional<std::chrono::nanoseconds> Timers::next_timeout(TimePoint now) const noexcept {
    if (queue_.empty()) return std::nullopt;
    const auto first = queue_.begin()->first;
    if (first <= now) return std::chrono::nanoseconds{0};
    // Poll rounds a partial millisecond up, so the reactor never wakes
    // before the deadline and spins.
    return std::chrono::duration_cast<std::chrono::nanoseconds>(first - now);
}

// [fire]
std::size_t Timers::fire(TimePoint now, Executor& executor) noexcept {
    std::size_t fired = 0;
    while (!queue_.empty() && queue_.begin()->first <= now) {
        Entry* entry = queue_.begin()->second;
        queue_.erase(queue_.begin());
        entry->timers_ = nullptr;
        executor.schedule(entry->waiter);
        ++fired;
    }
    return fired;
}
// [fire]

void Sleep::await_suspend(std::coroutine_handle<> caller) {
    Context* context = Context::current();
    // Only a task can suspend, and tasks only run inside block_on.
    if (context == nullptr) std::terminate();
    entry_.waiter.handle = caller;
    context->timers.insert(entry_, deadline_);
}

Task<void> sleep_until(TimePoint deadline) { co_await Sleep(deadline); }

Task<void> sleep_for(std::chrono::nanoseconds duration) {
    // Not a coroutine itself: the deadline is fixed by the call, as tokio's
    // `sleep` does, not when the task first runs (a sleep_for handed to
    // select() or spawn() would otherwise start a scheduler pass late).
    return sleep_until(Clock::now() + duration);
}

}  // namespace metalio::rt
