/// @file
/// Ring: one io_uring instance, its descriptor, its mappings and its queues.
#pragma once

#include "metalio/io.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/uring/completion_queue.hpp"
#include "metalio/uring/error.hpp"
#include "metalio/uring/mapping.hpp"
#include "metalio/uring/submission_queue.hpp"

namespace metalio::uring {

// [ring]
/// One io_uring: the descriptor io_uring_setup returned, the regions it
/// shares with the kernel, and the two queues that live in them (the
/// `io-uring` crate's `IoUring`, liburing's `struct io_uring`).
///
/// The program writes requests into submission(), calls submit_and_wait()
/// (one io_uring_enter: hand over everything queued, then sleep until
/// enough results are there), and reads results from completion(). A
/// request never blocks the program: the kernel works on it until it
/// completes, which is what makes this a *completion* interface.
///
/// Movable (the mappings do not move with it). Used by one thread, the one
/// that created it: the ring is set up with IORING_SETUP_SINGLE_ISSUER
/// where the kernel has it. Introduced in chapter 10 (uring).
class Ring {
public:
    /// Creates a ring with at least @p entries submission slots (and twice
    /// as many completion slots). A kernel or sandbox without io_uring
    /// gives the uring::Errc that names why.
    static io::Result<Ring> create(unsigned entries) noexcept;

    /// The requests side.
    [[nodiscard]] SubmissionQueue& submission() noexcept { return sq_; }
    /// The results side.
    [[nodiscard]] CompletionQueue& completion() noexcept { return cq_; }

    /// Publishes the queued requests and makes one io_uring_enter that
    /// submits them and waits until at least @p min_complete results are in
    /// the completion queue (0: do not wait). Returns how many requests
    /// the kernel took.
    io::Result<unsigned> submit_and_wait(unsigned min_complete) noexcept;

    /// The IORING_FEAT_* bits of this kernel.
    [[nodiscard]] unsigned features() const noexcept { return features_; }
    /// The IORING_SETUP_* flags the ring was made with.
    [[nodiscard]] unsigned flags() const noexcept { return flags_; }
    /// The ring's descriptor (still owned by the Ring).
    [[nodiscard]] int as_raw_fd() const noexcept { return fd_.get(); }

private:
    Ring(sys::OwnedFd fd, const io_uring_params& params, Mapping sq_ring, Mapping cq_ring, Mapping sqes) noexcept;

    // Destroyed bottom-up: the mappings go before the descriptor closes.
    sys::OwnedFd fd_;
    Mapping sq_ring_;
    Mapping cq_ring_;  // empty when the kernel maps both queues in sq_ring_
    Mapping sqes_;
    SubmissionQueue sq_;
    CompletionQueue cq_;
    unsigned features_ = 0;
    unsigned flags_ = 0;
};
// [ring]

}  // namespace metalio::uring
