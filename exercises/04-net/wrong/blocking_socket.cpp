// Exercise 04, a known-wrong answer: the socket is made without
// SOCK_NONBLOCK | SOCK_CLOEXEC, so accept() would block the event loop and
// the fd leaks into every program this process starts.
#include <sys/socket.h>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<sys::OwnedFd> bind_listener(const net::SocketAddr& addr) {
    const auto made = METALIO_SYSCALL(socket, addr.family(), SOCK_STREAM, 0);
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
    if (auto done = METALIO_SYSCALL(listen, socket.get(), 1024); !done) return std::unexpected(done.error());
    return socket;
}

}  // namespace metalio::exercise
