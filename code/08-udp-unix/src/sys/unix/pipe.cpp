#include "metalio/sys/unix/pipe.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <ctime>

#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/pipe.hpp"
#include "metalio/sys/unix/portable/send.hpp"
#include "metalio/sys/unix/fd_io.hpp"

namespace metalio::sys::pipe {

// [create]
io::Result<std::pair<OwnedFd, OwnedFd>> create() noexcept {
    int fds[2] = {-1, -1};
    // Both flags in the call itself, as socket() gets them: no moment in
    // which another thread's fork+exec could inherit a blocking end.
    // (pipe2 where the system has it; pipe + fcntl on macOS: chapter 01.)
    if (auto done = portable::pipe(fds); !done) return std::unexpected(done.error());
    return std::pair{OwnedFd(fds[0]), OwnedFd(fds[1])};
}
// [create]

io::Result<void> set_nonblocking(int fd, bool nonblocking) noexcept {
    const auto flags = METALIO_SYSCALL(fcntl, fd, F_GETFL);
    if (!flags) return std::unexpected(flags.error());
    const int wanted = nonblocking ? (*flags | O_NONBLOCK) : (*flags & ~O_NONBLOCK);
    if (wanted == *flags) return {};
    if (auto done = METALIO_SYSCALL(fcntl, fd, F_SETFL, wanted); !done) return std::unexpected(done.error());
    return {};
}

io::Result<void> adopt(int fd) noexcept {
    if (auto done = set_nonblocking(fd, true); !done) return done;
    if (auto done = METALIO_SYSCALL(fcntl, fd, F_SETFD, FD_CLOEXEC); !done) return std::unexpected(done.error());
    return {};
}

// A write to a pipe nobody reads fails with EPIPE *and* sends SIGPIPE.
// Sockets avoid it with MSG_NOSIGNAL; write(2) has no flags. So pipes use
// portable::without_sigpipe (chapter 04) on every Unix.
using portable::without_sigpipe;

io::Result<std::size_t> write(int fd, std::span<const std::byte> data) noexcept {
    return without_sigpipe([&] { return fd_io::to_size(METALIO_SYSCALL(write, fd, data.data(), data.size())); });
}

io::Result<std::size_t> write_vectored(int fd, std::span<const iovec> buffers) noexcept {
    const int count = static_cast<int>(std::min<std::size_t>(buffers.size(), IOV_MAX));
    return without_sigpipe([&] { return fd_io::to_size(METALIO_SYSCALL(writev, fd, buffers.data(), count)); });
}

}  // namespace metalio::sys::pipe
