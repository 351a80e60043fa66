#include "metalio/sys/unix/portable/set_flags.hpp"

#include <fcntl.h>

#include "metalio/sys/syscall.hpp"

namespace metalio::sys::portable {

io::Result<void> set_nonblock_cloexec(int fd) noexcept {
    // Through METALIO_SYSCALL, so the fault sweep reaches these error paths
    // in a build that uses them (-DMETALIO_PORTABLE_UNIX=ON).
    const auto status = METALIO_SYSCALL(fcntl, fd, F_GETFL);
    if (!status) return std::unexpected(status.error());
    if (auto done = METALIO_SYSCALL(fcntl, fd, F_SETFL, *status | O_NONBLOCK); !done) return std::unexpected(done.error());
    if (auto done = METALIO_SYSCALL(fcntl, fd, F_SETFD, FD_CLOEXEC); !done) return std::unexpected(done.error());
    return {};
}

}  // namespace metalio::sys::portable
