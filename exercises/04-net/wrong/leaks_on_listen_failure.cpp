// Exercise 04, a known-wrong answer: the fd is released from its owner
// before listen, so a failing listen leaks it.
#include <sys/socket.h>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<sys::OwnedFd> bind_listener(const net::SocketAddr& addr) {
    const auto made = METALIO_SYSCALL(socket, addr.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (!made) return std::unexpected(made.error());
    sys::OwnedFd socket(*made);
    const int on = 1;
    if (auto done = METALIO_SYSCALL(setsockopt, socket.get(), SOL_SOCKET, SO_REUSEADDR, &on, socklen_t{sizeof on});
        !done) {
        return std::unexpected(done.error());
    }
    const net::SocketAddr::Raw raw = addr.to_raw();
    if (auto done = METALIO_SYSCALL(bind, socket.get(), raw.get(), raw.length); !done) {
        return std::unexpected(done.error());
    }
    const int fd = socket.release();  // "nothing can fail any more"... but listen can
    if (auto done = METALIO_SYSCALL(listen, fd, 1024); !done) return std::unexpected(done.error());
    return sys::OwnedFd(fd);
}

}  // namespace metalio::exercise
