// metalio::test::Latch: threads wait until all of them have arrived, as with
// std::latch::arrive_and_wait, on a mutex and a condition variable.
//
// Why not std::latch: GCC 12's libstdc++ for mingw-w64 has no platform wait
// (no futex), and its fallback for atomic waits, which std::latch,
// std::barrier and the semaphores use, loads the counter before it takes its
// mutex and is notified without that mutex. A count_down that lands between
// the load and the wait is lost, and the waiting thread sleeps for ever.
// Under Wine about one test process in a hundred hung so, in FdLeakCheck's
// warm-up (issue 10). Newer libstdc++ loads the counter again under the
// mutex. Here the count only changes under the mutex, and the last thread
// notifies while it holds it, so no wake-up can fall into a gap.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace metalio::test {

class Latch {
public:
    explicit Latch(std::ptrdiff_t expected) : left_(expected) {}
    Latch(const Latch&) = delete;
    Latch& operator=(const Latch&) = delete;

    /// Counts this thread in, then waits until every expected thread has.
    void arrive_and_wait() {
        std::unique_lock lock(mutex_);
        if (--left_ <= 0) {
            all_arrived_.notify_all();
            return;
        }
        all_arrived_.wait(lock, [this] { return left_ <= 0; });
    }

private:
    std::mutex mutex_;
    std::condition_variable all_arrived_;
    std::ptrdiff_t left_;
};

}  // namespace metalio::test
