// metalio::test::Latch: threads wait until all of them have arrived, as with
// std::latch::arrive_and_wait, on a lock and a condition variable.
//
// Why not std::latch: GCC 12's libstdc++ for mingw-w64 has no platform wait
// (no futex), and its fallback for atomic waits, which std::latch,
// std::barrier and the semaphores use, loads the counter before it takes its
// mutex and is notified without that mutex. A count_down that lands between
// the load and the wait is lost, and the waiting thread sleeps for ever.
// Under Wine about one test process in a hundred hung so, in FdLeakCheck's
// warm-up (issue 10). Newer libstdc++ loads the counter again under the
// mutex. Here the count only changes under the lock, and the last thread
// wakes the others while it holds it, so no wake-up can fall into a gap.
#pragma once

#include <cstddef>

#if defined(_WIN32)
#include <windows.h>
#else
#include <condition_variable>
#include <mutex>
#endif

namespace metalio::test {

/// A single-use meeting point for a fixed number of threads (std::latch's
/// arrive_and_wait only).
class Latch {
public:
    explicit Latch(std::ptrdiff_t expected) : left_(expected) {}
    Latch(const Latch&) = delete;
    Latch& operator=(const Latch&) = delete;

#if defined(_WIN32)
    // A slim reader/writer lock and a condition variable of Windows itself:
    // they own no handle. (std::mutex does, under winpthreads: a contended
    // lock makes an event that its trivial destructor never closes, which
    // FdLeakCheck would count as a leak.)
    /// Counts this thread in, then waits until every expected thread has.
    void arrive_and_wait() {
        ::AcquireSRWLockExclusive(&lock_);
        if (--left_ <= 0) {
            ::WakeAllConditionVariable(&all_arrived_);
        } else {
            while (left_ > 0) ::SleepConditionVariableSRW(&all_arrived_, &lock_, INFINITE, 0);
        }
        ::ReleaseSRWLockExclusive(&lock_);
    }

private:
    SRWLOCK lock_ = SRWLOCK_INIT;
    CONDITION_VARIABLE all_arrived_ = CONDITION_VARIABLE_INIT;
#else
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
#endif
    std::ptrdiff_t left_;
};

}  // namespace metalio::test
