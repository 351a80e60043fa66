#include "metalio/uring/syscalls.hpp"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

#include "metalio/sys/syscall.hpp"

namespace metalio::sys::uring {

// [setup]
io::Result<OwnedFd> setup(unsigned entries, io_uring_params& params) noexcept {
    // The kernel sets O_CLOEXEC on every ring descriptor itself.
    auto call = [](unsigned n, io_uring_params* p) { return ::syscall(__NR_io_uring_setup, n, p); };
    auto fd = sys::syscall("io_uring_setup", call, entries, &params);
    if (!fd) return std::unexpected(fd.error());
    return OwnedFd(static_cast<int>(*fd));
}
// [setup]

io::Result<unsigned> enter(int fd, unsigned to_submit, unsigned min_complete, unsigned flags) noexcept {
    auto call = [](int ring, unsigned submit, unsigned wait, unsigned how) {
        return ::syscall(__NR_io_uring_enter, ring, submit, wait, how, nullptr, 0);
    };
    auto taken = sys::syscall("io_uring_enter", call, fd, to_submit, min_complete, flags);
    if (!taken) return std::unexpected(taken.error());
    return static_cast<unsigned>(*taken);
}

io::Result<void*> map(int fd, std::size_t length, long long offset) noexcept {
    // mmap signals failure with MAP_FAILED, not -1: say it in the syscall
    // wrapper's convention, then turn the address back into a pointer.
    auto call = [](int ring, std::size_t size, long long where) -> std::intptr_t {
        void* address = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, where);
        return address == MAP_FAILED ? -1 : reinterpret_cast<std::intptr_t>(address);
    };
    auto address = sys::syscall("mmap", call, fd, length, offset);
    if (!address) return std::unexpected(address.error());
    return reinterpret_cast<void*>(*address);
}

io::Result<void> register_(int fd, unsigned opcode, void* arg, unsigned nr_args) noexcept {
    auto call = [](int ring, unsigned what, void* argument, unsigned count) {
        return ::syscall(__NR_io_uring_register, ring, what, argument, count);
    };
    auto done = sys::syscall("io_uring_register", call, fd, opcode, arg, nr_args);
    if (!done) return std::unexpected(done.error());
    return {};
}

io::Result<void*> map_anonymous(std::size_t length) noexcept {
    auto call = [](std::size_t size) -> std::intptr_t {
        void* address = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        return address == MAP_FAILED ? -1 : reinterpret_cast<std::intptr_t>(address);
    };
    auto address = sys::syscall("mmap", call, length);
    if (!address) return std::unexpected(address.error());
    return reinterpret_cast<void*>(*address);
}

}  // namespace metalio::sys::uring
