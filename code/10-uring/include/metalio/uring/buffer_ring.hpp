/// @file
/// BufferRing: a pool of buffers the kernel picks from when data arrives.
#pragma once

#include <linux/io_uring.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

#include "metalio/io.hpp"
#include "metalio/uring/mapping.hpp"

namespace metalio::uring {

// [buffer-ring]
/// Provided buffers: `count` buffers of `size` bytes, registered with a
/// ring as one buffer group (IORING_REGISTER_PBUF_RING, Linux 5.19;
/// liburing's `io_uring_buf_ring`, tokio-uring's `FixedBufPool` idea for
/// receives).
///
/// A recv with a Buffer of its own holds that memory from submission until
/// data arrives: a server with ten thousand idle connections holds ten
/// thousand buffers. A recv that *selects* from a group holds none: the
/// kernel takes a buffer from this ring only when bytes are there, and
/// names it in the completion (IORING_CQE_F_BUFFER, its id in the upper
/// 16 bits of the flags). The program reads the bytes, then gives the
/// buffer back with recycle().
///
/// The ring is a third queue shared with the kernel, one more
/// single-producer ring buffer: the program writes entries (address,
/// length, id) at the tail and publishes the tail with a *release* store,
/// so the kernel, which reads the tail with an acquire load, sees whole
/// entries; the kernel consumes from a head the program never reads. When
/// the ring is empty a recv that selects from it completes with ENOBUFS
/// (a multishot recv ends with it): the data stays in the socket until a
/// buffer is back and the recv is submitted again.
///
/// Owned by the Driver (Driver::provide_buffers), which outlives every
/// operation that may pick from it. Introduced in chapter 10 (uring).
class BufferRing {
public:
    /// Maps the ring and the buffers, fills the ring with every buffer and
    /// registers it with the ring @p ring_fd as group @p group. @p count is
    /// a power of two up to 32768. A kernel without buffer rings gives
    /// uring::Errc::no_buffer_ring.
    static io::Result<BufferRing> create(int ring_fd, std::uint16_t group, std::uint16_t count,
                                         std::uint32_t size) noexcept;

    /// Takes over @p other's registration and memory.
    BufferRing(BufferRing&& other) noexcept;
    BufferRing& operator=(BufferRing&&) = delete;
    BufferRing(const BufferRing&) = delete;
    BufferRing& operator=(const BufferRing&) = delete;
    /// Unregisters the group, then unmaps the memory.
    ~BufferRing();

    /// The bytes of buffer @p id (all of its size).
    [[nodiscard]] std::span<std::byte> buffer(std::uint16_t id) const noexcept {
        return {buffers_ + std::size_t{id} * size_, size_};
    }

    /// Gives buffer @p id back to the kernel: one entry at the tail, then
    /// the tail published (a release store: the entry is written first).
    void recycle(std::uint16_t id) noexcept {
        io_uring_buf& entry = entries_[tail_ & mask_];
        entry.addr = reinterpret_cast<std::uintptr_t>(buffers_ + std::size_t{id} * size_);
        entry.len = size_;
        entry.bid = id;
        ++tail_;
        std::atomic_ref(ring_->tail).store(tail_, std::memory_order_release);
    }

    /// The group number a recv names to select from this ring.
    [[nodiscard]] std::uint16_t group() const noexcept { return group_; }
    /// How many buffers the ring has.
    [[nodiscard]] std::uint16_t count() const noexcept { return static_cast<std::uint16_t>(mask_ + 1); }
    /// The size of each buffer.
    [[nodiscard]] std::uint32_t buffer_size() const noexcept { return size_; }

private:
    BufferRing(int ring_fd, Mapping memory, std::uint16_t group, std::uint16_t count, std::uint32_t size,
               std::size_t ring_bytes) noexcept;

    int ring_fd_ = -1;          // the Ring's descriptor (not owned), to unregister; -1 once moved from
    Mapping memory_;            // the ring's entries, then the buffers
    // The same memory twice: the kernel's header lays the tail over the
    // first entry's unused last field. Not ring_->bufs: in C++ the empty
    // struct of the header's flexible-array macro has size 1, which moves
    // `bufs` 8 bytes past where the kernel reads the entries.
    io_uring_buf_ring* ring_ = nullptr;
    io_uring_buf* entries_ = nullptr;
    std::byte* buffers_ = nullptr;
    std::uint32_t size_ = 0;
    std::uint16_t group_ = 0;
    std::uint16_t mask_ = 0;    // count - 1
    std::uint16_t tail_ = 0;    // our tail; the kernel's copy is ring_->tail (it wraps at 65536, as the kernel's)
};
// [buffer-ring]

}  // namespace metalio::uring
