// Exercise 01, a known-wrong answer: right flags, but pipe2 is called
// directly, so errors are not uniform and fault injection cannot reach it.
#include <fcntl.h>
#include <unistd.h>

#include "exercise.hpp"

namespace metalio::exercise {

io::Result<PipeEnds> make_pipe() {
    int ends[2];
    if (::pipe2(ends, O_NONBLOCK | O_CLOEXEC) != 0) return std::unexpected(io::last_os_error());
    return PipeEnds{sys::OwnedFd(ends[0]), sys::OwnedFd(ends[1])};
}

}  // namespace metalio::exercise
