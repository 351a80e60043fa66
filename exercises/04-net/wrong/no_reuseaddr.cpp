// Exercise 04, a known-wrong answer: SO_REUSEADDR is skipped, so a restarted
// server cannot bind its port while old connections sit in TIME_WAIT.
#include <sys/socket.h>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<sys::OwnedFd> bind_listener(const net::SocketAddr& addr) {
    const auto made = METALIO_SYSCALL(socket, addr.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (!made) return std::unexpected(made.error());
    sys::OwnedFd socket(*made);
    const net::SocketAddr::Raw raw = addr.to_raw();
    if (auto done = METALIO_SYSCALL(bind, socket.get(), raw.get(), raw.length); !done) {
        return std::unexpected(done.error());
    }
    if (auto done = METALIO_SYSCALL(listen, socket.get(), 1024); !done) return std::unexpected(done.error());
    return socket;
}

}  // namespace metalio::exercise
