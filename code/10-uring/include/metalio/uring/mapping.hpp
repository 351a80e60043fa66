/// @file
/// Mapping: one region of memory shared with the kernel, unmapped once.
#pragma once

#include <cstddef>
#include <utility>

#include "metalio/io.hpp"

namespace metalio::uring {

// [mapping]
/// Owns one `mmap`ed region of a ring and unmaps it when destroyed, as
/// sys::OwnedFd owns a descriptor. The kernel wrote the ring's heads, tails
/// and entries into these pages; a ring is three of them (or two, when the
/// kernel offers IORING_FEAT_SINGLE_MMAP and both queues share one).
/// Move-only; a moved-from Mapping holds nothing.
/// Introduced in chapter 10 (uring).
class Mapping {
public:
    /// Maps @p length bytes of ring @p fd at @p offset (an IORING_OFF_* value).
    static io::Result<Mapping> map(int fd, std::size_t length, long long offset) noexcept;
    /// Maps @p length bytes of private zeroed memory (page-aligned): the
    /// memory of a BufferRing, which the kernel finds by its address.
    static io::Result<Mapping> anonymous(std::size_t length) noexcept;

    /// Nothing mapped.
    Mapping() noexcept = default;
    /// Takes @p other's region.
    Mapping(Mapping&& other) noexcept
        : base_(std::exchange(other.base_, nullptr)), length_(std::exchange(other.length_, 0)) {}
    /// Unmaps this region, then takes @p other's.
    Mapping& operator=(Mapping&& other) noexcept {
        if (this != &other) {
            unmap();
            base_ = std::exchange(other.base_, nullptr);
            length_ = std::exchange(other.length_, 0);
        }
        return *this;
    }
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;
    ~Mapping() { unmap(); }

    /// The field at byte @p offset of the region, as the kernel laid it out
    /// (the offsets come from io_uring_params).
    template <class T>
    [[nodiscard]] T* at(std::size_t offset) const noexcept {
        return reinterpret_cast<T*>(static_cast<std::byte*>(base_) + offset);
    }

private:
    Mapping(void* base, std::size_t length) noexcept : base_(base), length_(length) {}
    void unmap() noexcept;

    void* base_ = nullptr;
    std::size_t length_ = 0;
};
// [mapping]

}  // namespace metalio::uring
