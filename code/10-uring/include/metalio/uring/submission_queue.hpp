/// @file
/// SubmissionQueue: where the program writes requests for the kernel.
#pragma once

#include <linux/io_uring.h>

#include <atomic>

#include "metalio/uring/mapping.hpp"

namespace metalio::uring {

// [submission-queue]
/// The submission side of a ring: a ring buffer of entries (SQEs) that the
/// program fills and the kernel consumes.
///
/// The program owns the tail, the kernel the head. next() hands out the
/// entry at the tail, but the kernel cannot see it yet: publish() moves the
/// shared tail with a *release* store, so every byte written into the
/// entries before it is visible to the kernel once the kernel has read the
/// new tail (the kernel reads it with an acquire load, smp_load_acquire).
/// The head is read with an *acquire* load: it pairs with the kernel's
/// release store after it has copied an entry, so a slot is reused only
/// after the kernel is done reading it. Not thread-safe: one thread fills
/// a ring. Introduced in chapter 10 (uring).
class SubmissionQueue {
public:
    /// An empty queue (no ring).
    SubmissionQueue() noexcept = default;
    /// The queue whose fields are at @p offsets inside @p ring, with its
    /// entries in @p entries (as io_uring_setup described them).
    SubmissionQueue(const Mapping& ring, const Mapping& entries, const io_sqring_offsets& offsets) noexcept;

    /// A zeroed entry to fill, or nullptr when every slot is taken (call
    /// io_uring_enter to let the kernel consume some, then ask again).
    [[nodiscard]] io_uring_sqe* next() noexcept {
        if (local_tail_ - std::atomic_ref(*head_).load(std::memory_order_acquire) == entries_) return nullptr;
        io_uring_sqe* entry = &sqes_[local_tail_ & mask_];
        ++local_tail_;
        *entry = io_uring_sqe{};
        return entry;
    }

    /// Makes every entry handed out so far visible to the kernel, and
    /// returns how many it has not consumed yet (io_uring_enter's to_submit).
    unsigned publish() noexcept {
        std::atomic_ref(*tail_).store(local_tail_, std::memory_order_release);
        return local_tail_ - std::atomic_ref(*head_).load(std::memory_order_acquire);
    }

    /// How many slots the queue has.
    [[nodiscard]] unsigned capacity() const noexcept { return entries_; }

private:
    unsigned* head_ = nullptr;   // written by the kernel
    unsigned* tail_ = nullptr;   // written by us, read by the kernel
    unsigned mask_ = 0;          // entries - 1: a position is tail & mask
    unsigned entries_ = 0;
    io_uring_sqe* sqes_ = nullptr;
    unsigned local_tail_ = 0;    // our tail, ahead of *tail_ until publish()
};
// [submission-queue]

}  // namespace metalio::uring
