#include "metalio/net/tcp_listener.hpp"

#include <sys/socket.h>

#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/net.hpp"

namespace metalio::net {

namespace unix_net = sys::net;

// [bind]
io::Result<TcpListener> TcpListener::bind(const SocketAddr& addr) noexcept {
    // 1. A socket of the right family, non-blocking and close-on-exec.
    auto socket = unix_net::new_ip_socket(addr, SOCK_STREAM);
    if (!socket) return std::unexpected(socket.error());
    // From here on the OwnedFd inside `listener` owns the fd: every early
    // return below destroys it, and its destructor closes the socket.
    TcpListener listener(std::move(*socket));
    const int fd = listener.as_raw_fd();

    // 2. Allow binding a port that still has connections in TIME_WAIT, so a
    //    restarted server does not fail with EADDRINUSE for a minute.
    if (auto done = unix_net::set_int_option(fd, SOL_SOCKET, SO_REUSEADDR, 1); !done) {
        return std::unexpected(done.error());
    }
    // 3. Give it its address.
    const SocketAddr::Raw raw = addr.to_raw();
    if (auto done = METALIO_SYSCALL(bind, fd, raw.get(), raw.length); !done) return std::unexpected(done.error());
    // 4. Start accepting connections into a queue of up to 1024.
    if (auto done = METALIO_SYSCALL(listen, fd, 1024); !done) return std::unexpected(done.error());
    return listener;
}
// [bind]

TcpListener TcpListener::from_raw_fd(int fd) noexcept { return TcpListener(sys::OwnedFd(fd)); }

int TcpListener::into_raw_fd() && noexcept { return std::move(inner_).into_fd().release(); }

// [accept]
io::Result<std::pair<TcpStream, SocketAddr>> TcpListener::accept() const noexcept {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    // accept4 gives the new socket its flags atomically, like socket() does.
    const auto accepted = inner_.do_io([&](int fd) {
        return METALIO_SYSCALL(accept4, fd, reinterpret_cast<sockaddr*>(&storage), &length,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
    });
    if (!accepted) return std::unexpected(accepted.error());
    TcpStream stream = TcpStream::from_raw_fd(*accepted);  // owned from here on
    auto peer = SocketAddr::from_raw(storage, length);
    if (!peer) return std::unexpected(peer.error());
    return std::pair<TcpStream, SocketAddr>(std::move(stream), *peer);
}
// [accept]

io::Result<SocketAddr> TcpListener::local_addr() const noexcept { return unix_net::local_addr(as_raw_fd()); }

io::Result<std::optional<std::error_code>> TcpListener::take_error() const noexcept {
    return unix_net::take_error(as_raw_fd());
}

}  // namespace metalio::net
