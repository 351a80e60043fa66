/// @file
/// ProvidedBuffer: the bytes a recv received into a buffer of a BufferRing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

#include "metalio/uring/buffer_ring.hpp"

namespace metalio::uring {

// [provided-buffer]
/// One buffer the kernel picked from a BufferRing, with the bytes it
/// received, lent to the program until it is done with them.
///
/// It gives the buffer back to its ring when destroyed (or at recycle()),
/// so a buffer cannot be forgotten: a lost buffer would shrink the pool
/// until every recv ended with ENOBUFS. Keep it only as long as the bytes
/// are needed, and never past the Driver it came from (the ring lives in
/// the Driver). Move-only. Introduced in chapter 10 (uring).
class ProvidedBuffer {
public:
    /// Nothing lent.
    ProvidedBuffer() noexcept = default;
    /// Buffer @p id of @p ring, holding @p length received bytes.
    ProvidedBuffer(BufferRing& ring, std::uint16_t id, std::size_t length) noexcept
        : ring_(&ring), length_(length), id_(id) {}
    /// Takes @p other's buffer; @p other lends nothing after.
    ProvidedBuffer(ProvidedBuffer&& other) noexcept
        : ring_(std::exchange(other.ring_, nullptr)), length_(other.length_), id_(other.id_) {}
    /// Gives this buffer back, then takes @p other's.
    ProvidedBuffer& operator=(ProvidedBuffer&& other) noexcept {
        if (this != &other) {
            recycle();
            ring_ = std::exchange(other.ring_, nullptr);
            length_ = other.length_;
            id_ = other.id_;
        }
        return *this;
    }
    ProvidedBuffer(const ProvidedBuffer&) = delete;
    ProvidedBuffer& operator=(const ProvidedBuffer&) = delete;
    /// Gives the buffer back to its ring.
    ~ProvidedBuffer() { recycle(); }

    /// The received bytes.
    [[nodiscard]] std::span<const std::byte> bytes() const noexcept {
        return ring_ == nullptr ? std::span<const std::byte>{} : ring_->buffer(id_).first(length_);
    }
    /// The same bytes as text.
    [[nodiscard]] std::string_view view() const noexcept {
        const auto received = bytes();
        return {reinterpret_cast<const char*>(received.data()), received.size()};
    }
    /// How many bytes were received.
    [[nodiscard]] std::size_t len() const noexcept { return ring_ == nullptr ? 0 : length_; }
    /// The buffer's id in its ring (the completion's IORING_CQE_BUFFER_SHIFT bits).
    [[nodiscard]] std::uint16_t id() const noexcept { return id_; }
    /// True while a buffer is lent.
    explicit operator bool() const noexcept { return ring_ != nullptr; }

    /// Gives the buffer back to the kernel now; lends nothing after.
    void recycle() noexcept {
        if (ring_ != nullptr) std::exchange(ring_, nullptr)->recycle(id_);
    }

private:
    BufferRing* ring_ = nullptr;
    std::size_t length_ = 0;
    std::uint16_t id_ = 0;
};
// [provided-buffer]

}  // namespace metalio::uring
