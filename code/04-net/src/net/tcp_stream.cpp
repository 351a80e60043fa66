// TcpStream on every platform: the class is written once; the system calls
// come from sys/unix/tcp or, on Windows, sys/windows/tcp (the same
// functions, over winsock), as in mio's net/tcp/stream.rs.
#include "metalio/net/tcp_stream.hpp"

#include "metalio/sys/tcp.hpp"

namespace metalio::net {

namespace tcp = sys::tcp;
using sys::RawSocket;

// [connect]
io::Result<TcpStream> TcpStream::connect(const SocketAddr& addr) noexcept {
    auto socket = sys::net::new_ip_socket(addr, SOCK_STREAM);
    if (!socket) return std::unexpected(socket.error());
    TcpStream stream(std::move(*socket));  // closes the socket on the error path below
    // Returns once the handshake has started (EINPROGRESS on Unix,
    // WSAEWOULDBLOCK on Windows): that is what this function promises.
    if (auto started = tcp::connect(stream.raw(), addr); !started) return std::unexpected(started.error());
    return stream;
}
// [connect]

#if defined(_WIN32)
TcpStream TcpStream::from_raw_socket(SOCKET socket) noexcept { return TcpStream(sys::OwnedSocket(socket)); }

SOCKET TcpStream::into_raw_socket() && noexcept { return std::move(inner_).into_socket().release(); }
#else
TcpStream TcpStream::from_raw_fd(int fd) noexcept { return TcpStream(sys::OwnedSocket(fd)); }

int TcpStream::into_raw_fd() && noexcept { return std::move(inner_).into_fd().release(); }
#endif

// read() and write(std::span) are defined inline in the header (hot path).

io::Result<std::size_t> TcpStream::write(std::string_view text) const noexcept {
    return write(std::as_bytes(std::span(text.data(), text.size())));
}

io::Result<std::size_t> TcpStream::peek(std::span<std::byte> buffer) const noexcept {
    return inner_.do_io([&](RawSocket socket) { return tcp::peek(socket, buffer); });
}

io::Result<std::size_t> TcpStream::read_vectored(std::span<const sys::IoSlice> buffers) const noexcept {
    return inner_.do_read(tcp::vectored_size(buffers),
                          [&](RawSocket socket) { return tcp::read_vectored(socket, buffers); });
}

io::Result<std::size_t> TcpStream::write_vectored(std::span<const sys::IoSlice> buffers) const noexcept {
    return inner_.do_io([&](RawSocket socket) { return tcp::write_vectored(socket, buffers); });
}

io::Result<void> TcpStream::shutdown(Shutdown how) const noexcept { return tcp::shutdown(raw(), how); }

io::Result<void> TcpStream::set_nodelay(bool nodelay) const noexcept {
    return sys::net::set_int_option(raw(), IPPROTO_TCP, TCP_NODELAY, nodelay ? 1 : 0);
}

io::Result<bool> TcpStream::nodelay() const noexcept {
    const auto value = sys::net::int_option(raw(), IPPROTO_TCP, TCP_NODELAY);
    if (!value) return std::unexpected(value.error());
    return *value != 0;
}

io::Result<SocketAddr> TcpStream::peer_addr() const noexcept { return sys::net::peer_addr(raw()); }

io::Result<SocketAddr> TcpStream::local_addr() const noexcept { return sys::net::local_addr(raw()); }

io::Result<std::optional<std::error_code>> TcpStream::take_error() const noexcept {
    return sys::net::take_error(raw());
}

}  // namespace metalio::net
