// Exercise 01, a known-wrong answer: the ends are swapped (pipe2 puts the
// read end in ends[0]).
#include <fcntl.h>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<PipeEnds> make_pipe() {
    int ends[2];
    if (auto made = METALIO_SYSCALL(pipe2, ends, O_NONBLOCK | O_CLOEXEC); !made) {
        return std::unexpected(made.error());
    }
    return PipeEnds{sys::OwnedFd(ends[1]), sys::OwnedFd(ends[0])};
}

}  // namespace metalio::exercise
