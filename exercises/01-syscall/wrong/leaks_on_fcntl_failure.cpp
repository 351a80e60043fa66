// Exercise 01, a known-wrong answer: the ends are wrapped only after the
// last fcntl succeeded, so a failing fcntl leaves both descriptors open.
#include <fcntl.h>
#include <unistd.h>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<PipeEnds> make_pipe_fallback() {
    int raw[2] = {-1, -1};
    const auto opened = METALIO_SYSCALL(pipe, raw);
    if (!opened.has_value()) return std::unexpected(opened.error());
    for (const int fd : raw) {
        const auto status = METALIO_SYSCALL(fcntl, fd, F_GETFL);
        if (!status.has_value()) return std::unexpected(status.error());
        if (auto set = METALIO_SYSCALL(fcntl, fd, F_SETFL, *status | O_NONBLOCK); !set) return std::unexpected(set.error());
        const auto descriptor = METALIO_SYSCALL(fcntl, fd, F_GETFD);
        if (!descriptor.has_value()) return std::unexpected(descriptor.error());
        if (auto set = METALIO_SYSCALL(fcntl, fd, F_SETFD, *descriptor | FD_CLOEXEC); !set) return std::unexpected(set.error());
    }
    return PipeEnds{sys::OwnedFd(raw[0]), sys::OwnedFd(raw[1])};
}

io::Result<PipeEnds> make_pipe() {
    int raw[2] = {-1, -1};
    const auto opened = METALIO_SYSCALL(pipe2, raw, O_NONBLOCK | O_CLOEXEC);
    if (opened.has_value()) return PipeEnds{sys::OwnedFd(raw[0]), sys::OwnedFd(raw[1])};
    if (opened.error() == std::errc::function_not_supported) return make_pipe_fallback();
    return std::unexpected(opened.error());
}

}  // namespace metalio::exercise
