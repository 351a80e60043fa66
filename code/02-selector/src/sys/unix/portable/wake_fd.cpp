#include "metalio/sys/unix/portable/wake_fd.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/pipe.hpp"

#if METALIO_HAVE_EVENTFD
#include <sys/eventfd.h>
#endif

namespace metalio::sys::portable {

io::Result<WakeFd> make_wake_pipe() noexcept {
    int ends[2] = {-1, -1};
    if (auto made = pipe(ends); !made) return std::unexpected(made.error());
    return WakeFd{OwnedFd(ends[0]), OwnedFd(ends[1])};
}

// [make-wake-fd]
io::Result<WakeFd> make_wake_fd() noexcept {
#if METALIO_HAVE_EVENTFD
    auto made = METALIO_SYSCALL(eventfd, 0u, EFD_CLOEXEC | EFD_NONBLOCK);
    if (!made) return std::unexpected(made.error());
    return WakeFd{OwnedFd(*made), OwnedFd(-1)};
#else
    return make_wake_pipe();
#endif
}
// [make-wake-fd]

const char* wake_fd_call() noexcept { return METALIO_HAVE_EVENTFD ? "eventfd" : pipe_call(); }

namespace {
// Eight bytes: what an eventfd insists on (a counter of 1); a pipe takes
// any bytes.
constexpr std::uint64_t kOne = 1;
}  // namespace

// [wake]
io::Result<void> wake(int write_end, int reader) noexcept {
    for (bool emptied = false;;) {
        const auto written = METALIO_SYSCALL(write, write_end, &kOne, sizeof kOne);
        if (written) return {};
        if (written.error() == std::errc::interrupted) continue;
        // Full: nobody has read it in all that time. Empty it and write
        // again (once; full a second time is an error worth reporting).
        if (io::is_would_block(written.error()) && !emptied) {
            drain(reader);
            emptied = true;
            continue;
        }
        return std::unexpected(written.error());
    }
}
// [wake]

void notify(int write_end) noexcept { (void)!::write(write_end, &kOne, sizeof kOne); }

void drain(int reader) noexcept {
    // An eventfd hands over its whole counter in one read of eight bytes;
    // a pipe gives what fits. A read that did not fill the buffer took all.
    char buffer[256];
    for (;;) {
        const auto got = ::read(reader, buffer, sizeof buffer);
        if (got == static_cast<ssize_t>(sizeof buffer)) continue;
        if (got < 0 && errno == EINTR) continue;
        return;
    }
}

}  // namespace metalio::sys::portable
