// The Driver's provided buffers: a BufferRing per group, and the multishot
// recv that needs them (the selecting recv is inline in driver.hpp).
#include <memory>
#include <system_error>

#include "metalio/uring/driver.hpp"

namespace metalio::uring {

// [provide-buffers]
io::Result<void> Driver::provide_buffers(std::uint16_t group, std::uint16_t count, std::uint32_t size) noexcept {
    for (const auto& ring : pools_)
        if (ring->group() == group) return std::unexpected(std::make_error_code(std::errc::file_exists));
    auto ring = BufferRing::create(ring_.as_raw_fd(), group, count, size);
    if (!ring) return std::unexpected(ring.error());
    pools_.push_back(std::make_unique<BufferRing>(std::move(*ring)));
    return {};
}
// [provide-buffers]

// [recv-multishot]
io::Result<OpId> Driver::recv_multishot(int fd, std::uint16_t group, Token token) noexcept {
    // One submission for every arrival of data on @p fd: the kernel keeps
    // it armed and picks a buffer of the group each time. It ends with the
    // stream (result 0), an error, a cancel, or ENOBUFS when the group is
    // empty; a kernel before 6.0 answers EINVAL.
    return recv_select(fd, group, token, IORING_RECV_MULTISHOT);
}
// [recv-multishot]

}  // namespace metalio::uring
