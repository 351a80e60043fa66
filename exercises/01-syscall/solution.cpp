// Exercise 01, reference solution.
#include <fcntl.h>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<PipeEnds> make_pipe() {
    int ends[2];
    if (auto made = METALIO_SYSCALL(pipe2, ends, O_NONBLOCK | O_CLOEXEC); !made) {
        return std::unexpected(made.error());
    }
    return PipeEnds{sys::OwnedFd(ends[0]), sys::OwnedFd(ends[1])};
}

}  // namespace metalio::exercise
