/// @file
/// The fallback every portable call shares: flags set after the fact.
#pragma once

#include "metalio/io.hpp"

namespace metalio::sys::portable {

/// Makes @p fd non-blocking (`O_NONBLOCK`, keeping its other status flags)
/// and close-on-exec (`FD_CLOEXEC`) with fcntl(2). The fallback where a
/// system cannot ask for both when the fd is made; between the two moments
/// another thread's fork+exec could inherit @p fd, which is why the one-call
/// forms are used wherever they exist. Introduced in chapter 01 (syscall).
io::Result<void> set_nonblock_cloexec(int fd) noexcept;

}  // namespace metalio::sys::portable
