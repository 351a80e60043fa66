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
#include "metalio/sys/unix/fd_io.hpp"

namespace metalio::sys::pipe {

// [create]
io::Result<std::pair<OwnedFd, OwnedFd>> create() noexcept {
    int fds[2] = {-1, -1};
    // Both flags in the call itself, as socket() gets them: no moment in
    // which another thread's fork+exec could inherit a blocking end.
    if (auto done = METALIO_SYSCALL(pipe2, fds, O_NONBLOCK | O_CLOEXEC); !done) return std::unexpected(done.error());
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

namespace {

// [without-sigpipe]
// A write to a pipe nobody reads fails with EPIPE *and* sends SIGPIPE,
// whose default action ends the process. Sockets avoid it with
// MSG_NOSIGNAL; write(2) has no flags. So: block SIGPIPE in this thread
// for the duration of the write, and if the write raised one, take it off
// the pending set (sigtimedwait with a zero timeout) before unblocking. A
// SIGPIPE that was already pending before the write is left alone.
template <class Write>
io::Result<std::size_t> without_sigpipe(Write write) noexcept {
    sigset_t sigpipe_only;
    ::sigemptyset(&sigpipe_only);
    ::sigaddset(&sigpipe_only, SIGPIPE);
    sigset_t pending;
    ::sigpending(&pending);
    const bool was_pending = ::sigismember(&pending, SIGPIPE) == 1;
    sigset_t previous;
    ::pthread_sigmask(SIG_BLOCK, &sigpipe_only, &previous);

    auto result = write();

    if (!result && result.error() == std::errc::broken_pipe && !was_pending) {
        const timespec no_wait{};
        while (::sigtimedwait(&sigpipe_only, nullptr, &no_wait) == -1 && errno == EINTR) {
        }
    }
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return result;
}
// [without-sigpipe]

}  // namespace

io::Result<std::size_t> write(int fd, std::span<const std::byte> data) noexcept {
    return without_sigpipe([&] { return fd_io::to_size(METALIO_SYSCALL(write, fd, data.data(), data.size())); });
}

io::Result<std::size_t> write_vectored(int fd, std::span<const iovec> buffers) noexcept {
    const int count = static_cast<int>(std::min<std::size_t>(buffers.size(), IOV_MAX));
    return without_sigpipe([&] { return fd_io::to_size(METALIO_SYSCALL(writev, fd, buffers.data(), count)); });
}

}  // namespace metalio::sys::pipe
