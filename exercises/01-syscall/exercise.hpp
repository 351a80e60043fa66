// Exercise 01 — a pipe, opened the metalio way.
//
// Write make_pipe(): create a pipe whose two ends are non-blocking and
// close-on-exec from the moment they exist, and return them as owned fds.
//
//  - Call pipe2 through METALIO_SYSCALL, so that a failure comes back as an
//    io::Result error (and so that the tests can make it fail on purpose).
//  - Ask for O_NONBLOCK | O_CLOEXEC in the same call: setting them later with
//    fcntl leaves a window in which another thread could fork and exec.
//  - Wrap each fd in a sys::OwnedFd so it is closed exactly once.
#pragma once

#include "metalio/io.hpp"
#include "metalio/sys/owned_fd.hpp"

namespace metalio::exercise {

struct PipeEnds {
    sys::OwnedFd reader;  // read from here
    sys::OwnedFd writer;  // write here
};

io::Result<PipeEnds> make_pipe();

}  // namespace metalio::exercise
