// Exercise 04: your file. The task is in exercise.hpp; run
// `make exercise EX=04` to test it, `make hint EX=04` if stuck.
#include <sys/socket.h>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<sys::OwnedFd> bind_listener(const net::SocketAddr& addr) {
    // TODO: 1. socket (non-blocking, close-on-exec), held in a sys::OwnedFd
    //       2. SO_REUSEADDR   3. bind to addr   4. listen(1024)
    //       Each step through METALIO_SYSCALL; on failure return its error.
    (void)addr;
    return std::unexpected(std::make_error_code(std::errc::function_not_supported));
}

}  // namespace metalio::exercise
