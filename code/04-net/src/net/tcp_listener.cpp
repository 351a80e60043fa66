// TcpListener on every platform: the class is written once; the system
// calls come from sys/unix/tcp or, on Windows, sys/windows/tcp (the same
// functions, over winsock), as in mio's net/tcp/listener.rs.
#include "metalio/net/tcp_listener.hpp"

#include "metalio/sys/tcp.hpp"

namespace metalio::net {

namespace tcp = sys::tcp;

// [bind]
io::Result<TcpListener> TcpListener::bind(const SocketAddr& addr) noexcept {
    // 1. A socket of the right family, non-blocking and close-on-exec.
    auto socket = sys::net::new_ip_socket(addr, SOCK_STREAM);
    if (!socket) return std::unexpected(socket.error());
    // From here on the OwnedSocket inside `listener` owns the socket: every
    // early return below destroys it, and its destructor closes the socket.
    TcpListener listener(std::move(*socket));

#if !defined(_WIN32)
    // 2. Allow binding a port that still has connections in TIME_WAIT, so a
    //    restarted server does not fail with EADDRINUSE for a minute. Not on
    //    Windows: there the option lets a second socket bind a port another
    //    one is listening on (a port in TIME_WAIT can be bound anyway).
    if (auto done = tcp::set_reuseaddr(listener.raw()); !done) return std::unexpected(done.error());
#endif
    // 3. Give it its address.
    if (auto done = tcp::bind(listener.raw(), addr); !done) return std::unexpected(done.error());
    // 4. Start accepting connections into a queue of up to 1024.
    if (auto done = tcp::listen(listener.raw(), 1024); !done) return std::unexpected(done.error());
    return listener;
}
// [bind]

#if defined(_WIN32)
TcpListener TcpListener::from_raw_socket(SOCKET socket) noexcept { return TcpListener(sys::OwnedSocket(socket)); }

SOCKET TcpListener::into_raw_socket() && noexcept { return std::move(inner_).into_socket().release(); }
#else
TcpListener TcpListener::from_raw_fd(int fd) noexcept { return TcpListener(sys::OwnedSocket(fd)); }

int TcpListener::into_raw_fd() && noexcept { return std::move(inner_).into_fd().release(); }
#endif

// [accept]
io::Result<std::pair<TcpStream, SocketAddr>> TcpListener::accept() const noexcept {
    // Through do_io: a WouldBlock re-arms the registration where the
    // selector needs it (poll(2), IOCP).
    auto accepted = inner_.do_io([](sys::RawSocket socket) { return tcp::accept(socket); });
    if (!accepted) return std::unexpected(accepted.error());
    return std::pair<TcpStream, SocketAddr>(TcpStream(std::move(accepted->first)), accepted->second);
}
// [accept]

io::Result<SocketAddr> TcpListener::local_addr() const noexcept { return sys::net::local_addr(raw()); }

io::Result<std::optional<std::error_code>> TcpListener::take_error() const noexcept {
    return sys::net::take_error(raw());
}

}  // namespace metalio::net
