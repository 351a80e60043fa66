#include "metalio/rt/handle.hpp"

#include "metalio/rt/error.hpp"

namespace metalio::rt {

// [push]
io::Result<void> Inject::push(Task<void> task) {
    const std::lock_guard lock(mutex_);
    if (!waker_) return std::unexpected(make_error_code(Errc::runtime_closed));  // `task` dies with this frame
    queue_.push_back(std::move(task));
    // Under the lock, so close() cannot destroy the Waker meanwhile.
    return waker_->wake();
}
// [push]

std::vector<Task<void>> Inject::take() {
    const std::lock_guard lock(mutex_);
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
