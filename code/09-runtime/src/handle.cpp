#include "metalio/rt/handle.hpp"

#include "metalio/rt/error.hpp"

namespace metalio::rt {

// [push]
io::Result<void> Inject::push(Task<void> task) {
    const std::lock_guard lock(mutex_);
    if (!waker_) return std::unexpected(make_error_code(Errc::runtime_closed));  // `task` dies with this frame
    queue_.push_back(std::move(task));
    // Announce the task, then look whether the runtime sleeps. park() does
    // the same two steps the other way round; with both sequentially
    // consistent, at least one side sees the other's write: the runtime
    // sees the task and does not block, or we see it parked and wake it.
    pending_.store(true, std::memory_order_seq_cst);
    if (!parked_.exchange(false, std::memory_order_seq_cst)) return {};  // running: it will look
    wakes_.fetch_add(1, std::memory_order_relaxed);
    // Under the lock, so close() cannot destroy the Waker meanwhile.
    return waker_->wake();
}

bool Inject::park() noexcept {
    parked_.store(true, std::memory_order_seq_cst);
    if (!pending_.load(std::memory_order_seq_cst)) return true;
    parked_.store(false, std::memory_order_relaxed);
    return false;
}
// [push]

std::vector<Task<void>> Inject::take() {
    const std::lock_guard lock(mutex_);
    pending_.store(false, std::memory_order_relaxed);
    return std::exchange(queue_, {});
}

void Inject::close() {
    std::vector<Task<void>> dropped;
    {
        const std::lock_guard lock(mutex_);
        waker_.reset();
        dropped.swap(queue_);
    }
    // The frames die outside the lock: their destructors may be long.
}

}  // namespace metalio::rt
