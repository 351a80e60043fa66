/// @file
/// AtomicMutex: a mutex whose uncontended lock and unlock are one atomic instruction each.
#pragma once

#include <atomic>

namespace metalio::sys {

// [atomic-mutex]
/// A mutex for the short critical sections of a hot path: the poll(2)
/// selector's table (chapter 02) and IoSource's re-arm handle (chapter 03),
/// both taken on every short read of a poll(2) server.
///
/// `std::mutex` calls into the C library (pthread_mutex_lock and unlock,
/// about 55 instructions for an uncontended pair under callgrind). Here an
/// uncontended lock is one compare-exchange and an unlock one exchange,
/// inline. A contended lock sleeps in std::atomic::wait (a futex on Linux).
/// Three states: 0 free, 1 locked, 2 locked and someone may sleep, so an
/// unlock wakes a sleeper only when there may be one. It meets Lockable:
/// use it with std::lock_guard or std::unique_lock, and wait on it with
/// std::condition_variable_any. Introduced in chapter 02.
class AtomicMutex {
public:
    /// Takes the mutex, sleeping while another thread holds it.
    void lock() noexcept {
        int seen = 0;
        if (state_.compare_exchange_strong(seen, 1, std::memory_order_acquire)) [[likely]]
            return;
        lock_contended(seen);
    }
    /// Takes the mutex if it is free; true if it did.
    bool try_lock() noexcept {
        int seen = 0;
        return state_.compare_exchange_strong(seen, 1, std::memory_order_acquire);
    }
    /// Releases the mutex, waking one sleeper if there may be one.
    void unlock() noexcept {
        if (state_.exchange(0, std::memory_order_release) == 2) [[unlikely]]
            state_.notify_one();
    }

private:
    void lock_contended(int seen) noexcept {
        // Mark "locked, sleepers" before sleeping, so the holder's unlock
        // wakes us; whoever takes it this way keeps the mark (it cannot
        // know whether others sleep too).
        if (seen != 2) seen = state_.exchange(2, std::memory_order_acquire);
        while (seen != 0) {
            state_.wait(2, std::memory_order_relaxed);
            seen = state_.exchange(2, std::memory_order_acquire);
        }
    }

    std::atomic<int> state_{0};
};
// [atomic-mutex]

}  // namespace metalio::sys
