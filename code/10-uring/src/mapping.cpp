#include "metalio/uring/mapping.hpp"

#include <sys/mman.h>

#include "metalio/uring/syscalls.hpp"

namespace metalio::uring {

io::Result<Mapping> Mapping::map(int fd, std::size_t length, long long offset) noexcept {
    auto base = sys::uring::map(fd, length, offset);
    if (!base) return std::unexpected(base.error());
    return Mapping(*base, length);
}

io::Result<Mapping> Mapping::anonymous(std::size_t length) noexcept {
    auto base = sys::uring::map_anonymous(length);
    if (!base) return std::unexpected(base.error());
    return Mapping(*base, length);
}

void Mapping::unmap() noexcept {
    // munmap fails only for an address that is not a mapping: not ours.
    if (base_ != nullptr) ::munmap(base_, length_);
    base_ = nullptr;
    length_ = 0;
}

}  // namespace metalio::uring
