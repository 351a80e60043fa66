/// @file
/// CompletionQueue: where the kernel writes the results.
#pragma once

#include <linux/io_uring.h>

#include <atomic>

#include "metalio/uring/mapping.hpp"

namespace metalio::uring {

// [completion-queue]
/// The completion side of a ring: a ring buffer of results (CQEs) that the
/// kernel fills and the program consumes.
///
/// Here the roles swap: the kernel owns the tail, the program the head.
/// peek() reads the tail with an *acquire* load, pairing with the kernel's
/// release store after it wrote an entry, so the entry's bytes are read
/// only once they are complete. advance() moves the head with a *release*
/// store, so the kernel, which reads the head before reusing a slot, never
/// overwrites an entry the program is still reading. Relaxed loads and
/// stores would compile to the same instructions on x86 but not on ARM,
/// and in both cases would let the compiler move the entry's reads across
/// them. Not thread-safe. Introduced in chapter 10 (uring).
class CompletionQueue {
public:
    /// An empty queue (no ring).
    CompletionQueue() noexcept = default;
    /// The queue whose fields and entries are at @p offsets inside @p ring.
    CompletionQueue(const Mapping& ring, const io_cqring_offsets& offsets) noexcept;

    /// The oldest completion not consumed yet, or nullptr if there is none.
    /// It stays valid until advance().
    [[nodiscard]] const io_uring_cqe* peek() const noexcept {
        if (head_ == std::atomic_ref(*tail_).load(std::memory_order_acquire)) return nullptr;
        return &cqes_[head_ & mask_];
    }

    /// Gives the entry peek() returned back to the kernel.
    void advance() noexcept { std::atomic_ref(*shared_head_).store(++head_, std::memory_order_release); }

    /// How many completions the queue holds at most.
    [[nodiscard]] unsigned capacity() const noexcept { return entries_; }

private:
    unsigned* shared_head_ = nullptr;  // written by us, read by the kernel
    unsigned* tail_ = nullptr;         // written by the kernel
    unsigned mask_ = 0;
    unsigned entries_ = 0;
    const io_uring_cqe* cqes_ = nullptr;
    unsigned head_ = 0;                // our copy of *shared_head_
};
// [completion-queue]

}  // namespace metalio::uring
