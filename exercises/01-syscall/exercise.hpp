// Exercise 01 — a pipe where pipe2 does not exist.
//
// pipe2(fds, O_NONBLOCK | O_CLOEXEC) sets both flags in the call that makes
// the pipe. Linux and the newer BSDs have it; macOS and older systems have
// only pipe(2), and mio opens its pipes there with pipe() and then fcntl.
// Write both paths:
//
//  1. make_pipe_fallback(): pipe(), then make each end non-blocking and
//     close-on-exec with fcntl. The two flags live in two different places
//     (`man 2 fcntl`: "file status flags" and "file descriptor flags"), each
//     with its own get and set command; keep whatever flags an end already
//     has (read them, add yours, write them back).
//     Make every call through METALIO_SYSCALL. If any of them fails, return
//     that call's own error and leave no descriptor open.
//
//  2. make_pipe(): pipe2 with both flags. Only when pipe2 fails with ENOSYS
//     (this kernel has no pipe2) use make_pipe_fallback(). Any other error
//     goes back to the caller as it is: a process out of descriptors
//     (EMFILE) is not helped by a second way to ask for two more.
#pragma once

#include "metalio/io.hpp"
#include "metalio/sys/owned_fd.hpp"

namespace metalio::exercise {

struct PipeEnds {
    sys::OwnedFd reader;  // read from here
    sys::OwnedFd writer;  // write here
};

io::Result<PipeEnds> make_pipe_fallback();

io::Result<PipeEnds> make_pipe();

}  // namespace metalio::exercise
