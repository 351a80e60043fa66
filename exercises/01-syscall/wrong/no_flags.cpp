// Exercise 01, a known-wrong answer: the pipe blocks and leaks into children.
#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<PipeEnds> make_pipe() {
    int ends[2];
    if (auto made = METALIO_SYSCALL(pipe2, ends, 0); !made) return std::unexpected(made.error());
    return PipeEnds{sys::OwnedFd(ends[0]), sys::OwnedFd(ends[1])};
}

}  // namespace metalio::exercise
