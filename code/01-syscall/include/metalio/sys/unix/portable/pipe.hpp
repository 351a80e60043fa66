/// @file
/// A pipe whose ends are non-blocking and close-on-exec, on every Unix.
///
/// The first of the calls that differ between Unixes. Each lives in a
/// `sys/unix/portable/` file of the stage that first needs it, and picks
/// its form by what the system has (`METALIO_HAVE_<NAME>`, found by CMake
/// in cmake/MetalioPortable.cmake), never by the system's name.
#pragma once

#include "metalio/io.hpp"

namespace metalio::sys::portable {

// [pipe]
/// Fills @p ends with {read end, write end} of a new pipe, both
/// `O_NONBLOCK` and `FD_CLOEXEC`.
///
/// Linux and the BSDs do it in one call, pipe2(2), so no other thread can
/// fork and exec between "created" and "close-on-exec". macOS has no
/// pipe2: there it is pipe(2) and then fcntl(2) on each end, as mio's
/// `pipe.rs` does; a failing fcntl closes both ends and is the error.
/// Introduced in chapter 01 (syscall).
io::Result<void> pipe(int ends[2]) noexcept;
// [pipe]

/// The system call pipe() makes first ("pipe2" or "pipe"), for tests that
/// make it fail on purpose. Introduced in chapter 01 (syscall).
const char* pipe_call() noexcept;

}  // namespace metalio::sys::portable
