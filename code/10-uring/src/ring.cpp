#include "metalio/uring/ring.hpp"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <utility>

#include "metalio/uring/error.hpp"
#include "metalio/uring/syscalls.hpp"

namespace metalio::uring {

SubmissionQueue::SubmissionQueue(const Mapping& ring, const Mapping& entries, const io_sqring_offsets& offsets) noexcept
    : head_(ring.at<unsigned>(offsets.head)),
      tail_(ring.at<unsigned>(offsets.tail)),
      mask_(*ring.at<unsigned>(offsets.ring_mask)),
      entries_(*ring.at<unsigned>(offsets.ring_entries)),
      sqes_(entries.at<io_uring_sqe>(0)),
      local_tail_(*tail_) {
    // The array maps queue positions to entries. Position i always holds
    // entry i, so it is filled once here and never written again.
    unsigned* array = ring.at<unsigned>(offsets.array);
    for (unsigned i = 0; i < entries_; ++i) array[i] = i;
}

CompletionQueue::CompletionQueue(const Mapping& ring, const io_cqring_offsets& offsets) noexcept
    : shared_head_(ring.at<unsigned>(offsets.head)),
      tail_(ring.at<unsigned>(offsets.tail)),
      mask_(*ring.at<unsigned>(offsets.ring_mask)),
      entries_(*ring.at<unsigned>(offsets.ring_entries)),
      cqes_(ring.at<io_uring_cqe>(offsets.cqes)),
      head_(*shared_head_) {}

Ring::Ring(sys::OwnedFd fd, const io_uring_params& params, Mapping sq_ring, Mapping cq_ring, Mapping sqes) noexcept
    : fd_(std::move(fd)),
      sq_ring_(std::move(sq_ring)),
      cq_ring_(std::move(cq_ring)),
      sqes_(std::move(sqes)),
      sq_(sq_ring_, sqes_, params.sq_off),
      cq_(params.features & IORING_FEAT_SINGLE_MMAP ? sq_ring_ : cq_ring_, params.cq_off),
      features_(params.features),
      flags_(params.flags) {}

// [create]
io::Result<Ring> Ring::create(unsigned entries) noexcept {
    // Where the kernel has them (6.1 and later): keep submitting after a
    // bad entry, run completion work only when we ask for completions (no
    // interrupt of the running task), and promise one submitting thread.
    constexpr unsigned kFast =
        IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    io_uring_params params{};
    params.flags = kFast;
    auto fd = sys::uring::setup(entries, params);
    if (!fd && fd.error() == std::errc::invalid_argument) {  // an older kernel: no optional flags
        params = io_uring_params{};
        fd = sys::uring::setup(entries, params);
    }
    if (!fd) return std::unexpected(explain_setup_error(fd.error()));
    if (!(params.features & IORING_FEAT_FAST_POLL)) return std::unexpected(make_error_code(Errc::kernel_too_old));

    // The two rings and the entries: three regions, or two when the kernel
    // puts both rings in one (IORING_FEAT_SINGLE_MMAP, 5.4).
    std::size_t sq_size = params.sq_off.array + params.sq_entries * sizeof(unsigned);
    const std::size_t cq_size = params.cq_off.cqes + params.cq_entries * sizeof(io_uring_cqe);
    const bool single = params.features & IORING_FEAT_SINGLE_MMAP;
    if (single) sq_size = std::max(sq_size, cq_size);
    auto sq_ring = Mapping::map(fd->get(), sq_size, IORING_OFF_SQ_RING);
    if (!sq_ring) return std::unexpected(sq_ring.error());
    Mapping cq_ring;
    if (!single) {
        auto mapped = Mapping::map(fd->get(), cq_size, IORING_OFF_CQ_RING);
        if (!mapped) return std::unexpected(mapped.error());
        cq_ring = std::move(*mapped);
    }
    auto sqes = Mapping::map(fd->get(), params.sq_entries * sizeof(io_uring_sqe), IORING_OFF_SQES);
    if (!sqes) return std::unexpected(sqes.error());
    return Ring(std::move(*fd), params, std::move(*sq_ring), std::move(cq_ring), std::move(*sqes));
}
// [create]

// [enter]
io::Result<unsigned> Ring::submit_and_wait(unsigned min_complete) noexcept {
    const unsigned to_submit = sq_.publish();
    // GETEVENTS even when not waiting: with DEFER_TASKRUN the kernel posts
    // completions only inside an io_uring_enter that asks for them.
    for (;;) {
        auto taken = sys::uring::enter(fd_.get(), to_submit, min_complete, IORING_ENTER_GETEVENTS);
        // io_uring_enter reports EINTR only when it submitted nothing (else
        // it returns the count), so the whole call can be made again.
        if (!taken && io::is_interrupted(taken.error())) continue;
        return taken;
    }
}
// [enter]

}  // namespace metalio::uring
