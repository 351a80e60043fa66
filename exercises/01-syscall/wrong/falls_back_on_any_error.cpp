// Exercise 01, a known-wrong answer: every failure of pipe2 takes the
// fallback, so EMFILE from pipe2 is hidden behind a second attempt.
#include <fcntl.h>
#include <unistd.h>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

namespace {

// Read-modify-write of one flag word: `get`/`set` are F_GETFL/F_SETFL (file
// status flags, shared by every dup of the open file) or F_GETFD/F_SETFD
// (descriptor flags, this fd only).
io::Result<void> add_flag(const sys::OwnedFd& end, int get, int set, int flag) {
    const auto current = METALIO_SYSCALL(fcntl, end.get(), get);
    if (!current.has_value()) return std::unexpected(current.error());
    const auto stored = METALIO_SYSCALL(fcntl, end.get(), set, *current | flag);
    if (!stored.has_value()) return std::unexpected(stored.error());
    return {};
}

}  // namespace

io::Result<PipeEnds> make_pipe_fallback() {
    int raw[2] = {-1, -1};
    const auto opened = METALIO_SYSCALL(pipe, raw);
    if (!opened.has_value()) return std::unexpected(opened.error());
    // Owned before the first fcntl, so an early return closes both.
    PipeEnds pipe{sys::OwnedFd(raw[0]), sys::OwnedFd(raw[1])};
    for (const sys::OwnedFd* end : {&pipe.reader, &pipe.writer}) {
        auto step = add_flag(*end, F_GETFL, F_SETFL, O_NONBLOCK);
        if (step.has_value()) step = add_flag(*end, F_GETFD, F_SETFD, FD_CLOEXEC);
        if (!step.has_value()) return std::unexpected(step.error());
    }
    return pipe;
}

io::Result<PipeEnds> make_pipe() {
    int raw[2] = {-1, -1};
    const auto opened = METALIO_SYSCALL(pipe2, raw, O_NONBLOCK | O_CLOEXEC);
    if (opened.has_value()) return PipeEnds{sys::OwnedFd(raw[0]), sys::OwnedFd(raw[1])};
    return make_pipe_fallback();
}

}  // namespace metalio::exercise
