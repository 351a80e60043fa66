// TcpListener on winsock: the same operations as src/net/tcp_listener.cpp.
#include "metalio/net/tcp_listener.hpp"

#include "metalio/sys/windows/net.hpp"
#include "metalio/sys/windows/syscall.hpp"

namespace metalio::net {

namespace windows_net = sys::net;

// [bind]
io::Result<TcpListener> TcpListener::bind(const SocketAddr& addr) noexcept {
    auto socket = windows_net::new_ip_socket(addr, SOCK_STREAM);
    if (!socket) return std::unexpected(socket.error());
    TcpListener listener(std::move(*socket));  // closes the socket on every early return
    const SOCKET raw_socket = listener.as_raw_socket();

    // No SO_REUSEADDR here. On Windows it does not mean "bind despite
    // connections in TIME_WAIT" (binding a port with only TIME_WAIT
    // connections works anyway) but "bind a port another socket is actively
    // listening on", which would let a second program steal connections.
    const SocketAddr::Raw raw = addr.to_raw();
    if (auto done = METALIO_WINCALL(fails_with_socket_error, bind, raw_socket, raw.get(), raw.length); !done)
        return std::unexpected(done.error());
    if (auto done = METALIO_WINCALL(fails_with_socket_error, listen, raw_socket, 1024); !done)
        return std::unexpected(done.error());
    return listener;
}
// [bind]

TcpListener TcpListener::from_raw_socket(SOCKET socket) noexcept { return TcpListener(sys::OwnedSocket(socket)); }

SOCKET TcpListener::into_raw_socket() && noexcept { return std::move(inner_).into_socket().release(); }

// [accept]
io::Result<std::pair<TcpStream, SocketAddr>> TcpListener::accept() const noexcept {
    sockaddr_storage storage{};
    int length = sizeof storage;
    const auto accepted = inner_.do_io([&](SOCKET socket) {
        return METALIO_WINCALL(fails_with_socket_error, accept, socket, reinterpret_cast<sockaddr*>(&storage),
                               &length);
    });
    if (!accepted) return std::unexpected(accepted.error());
    TcpStream stream = TcpStream::from_raw_socket(*accepted);  // owned from here on
    // Winsock has no accept4: the new socket inherits the listener's
    // non-blocking mode, but say it anyway (as Rust's std does), and keep
    // child processes from inheriting it.
    if (auto done = sys::net::set_non_blocking(*accepted); !done) return std::unexpected(done.error());
    (void)::SetHandleInformation(reinterpret_cast<HANDLE>(*accepted), HANDLE_FLAG_INHERIT, 0);
    auto peer = SocketAddr::from_raw(storage, length);
    if (!peer) return std::unexpected(peer.error());
    return std::pair<TcpStream, SocketAddr>(std::move(stream), *peer);
}
// [accept]

io::Result<SocketAddr> TcpListener::local_addr() const noexcept { return windows_net::local_addr(as_raw_socket()); }

io::Result<std::optional<std::error_code>> TcpListener::take_error() const noexcept {
    return windows_net::take_error(as_raw_socket());
}

}  // namespace metalio::net
