#include "metalio/uring/buffer_ring.hpp"

#include <unistd.h>

#include <cerrno>
#include <utility>

#include "metalio/uring/error.hpp"
#include "metalio/uring/syscalls.hpp"

namespace metalio::uring {

BufferRing::BufferRing(int ring_fd, Mapping memory, std::uint16_t group, std::uint16_t count, std::uint32_t size,
                       std::size_t ring_bytes) noexcept
    : ring_fd_(ring_fd),
      memory_(std::move(memory)),
      ring_(memory_.at<io_uring_buf_ring>(0)),
      entries_(memory_.at<io_uring_buf>(0)),
      buffers_(memory_.at<std::byte>(ring_bytes)),
      size_(size),
      group_(group),
      mask_(static_cast<std::uint16_t>(count - 1)) {}

BufferRing::BufferRing(BufferRing&& other) noexcept
    : ring_fd_(std::exchange(other.ring_fd_, -1)),
      memory_(std::move(other.memory_)),
      ring_(std::exchange(other.ring_, nullptr)),
      entries_(std::exchange(other.entries_, nullptr)),
      buffers_(std::exchange(other.buffers_, nullptr)),
      size_(other.size_),
      group_(other.group_),
      mask_(other.mask_),
      tail_(other.tail_) {}

// [register-ring]
io::Result<BufferRing> BufferRing::create(int ring_fd, std::uint16_t group, std::uint16_t count,
                                          std::uint32_t size) noexcept {
    if (count == 0 || count > 32768 || (count & (count - 1)) != 0 || size == 0)
        return std::unexpected(std::make_error_code(std::errc::invalid_argument));
    // One region: the ring's entries first (the kernel wants them
    // page-aligned), the buffers after them, from the next page on.
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t ring_bytes = (count * sizeof(io_uring_buf) + page - 1) / page * page;
    auto memory = Mapping::anonymous(ring_bytes + std::size_t{count} * size);
    if (!memory) return std::unexpected(memory.error());
    BufferRing ring(ring_fd, std::move(*memory), group, count, size, ring_bytes);
    for (std::uint16_t id = 0; id < count; ++id) ring.recycle(id);  // every buffer starts in the ring

    io_uring_buf_reg registration{};
    registration.ring_addr = reinterpret_cast<std::uintptr_t>(ring.ring_);
    registration.ring_entries = count;
    registration.bgid = group;
    auto registered = sys::uring::register_(ring_fd, IORING_REGISTER_PBUF_RING, &registration, 1);
    if (!registered) {
        ring.ring_fd_ = -1;  // nothing to unregister
        // Before 5.19 the opcode is unknown: say what is missing.
        if (registered.error() == std::errc::invalid_argument)
            return std::unexpected(make_error_code(Errc::no_buffer_ring));
        return std::unexpected(registered.error());
    }
    return ring;
}
// [register-ring]

BufferRing::~BufferRing() {
    if (ring_fd_ < 0) return;
    // The kernel stops picking from the ring; closing the ring would do it
    // too, but a Driver that lives on must not keep a group of freed memory.
    io_uring_buf_reg registration{};
    registration.bgid = group_;
    (void)sys::uring::register_(ring_fd_, IORING_UNREGISTER_PBUF_RING, &registration, 1);
}

}  // namespace metalio::uring
