// TcpStream on winsock: the same operations as src/net/tcp_stream.cpp.
#include "metalio/net/tcp_stream.hpp"

#include <algorithm>
#include <climits>

#include "metalio/sys/windows/net.hpp"
#include "metalio/sys/windows/syscall.hpp"

namespace metalio::net {

namespace windows_net = sys::net;

namespace {

// recv/send take an int length: a bigger buffer is a short read/write.
int clamp(std::size_t size) noexcept { return static_cast<int>(std::min<std::size_t>(size, INT_MAX)); }
DWORD count(std::span<const sys::IoSlice> buffers) noexcept {
    return static_cast<DWORD>(std::min<std::size_t>(buffers.size(), 1024));
}

io::Result<std::size_t> to_size(io::Result<int> result) noexcept {
    if (!result) return std::unexpected(result.error());
    return static_cast<std::size_t>(*result);
}

}  // namespace

// [connect]
io::Result<TcpStream> TcpStream::connect(const SocketAddr& addr) noexcept {
    auto socket = windows_net::new_ip_socket(addr, SOCK_STREAM);
    if (!socket) return std::unexpected(socket.error());
    TcpStream stream(std::move(*socket));
    const SocketAddr::Raw raw = addr.to_raw();
    const auto started = METALIO_WINCALL(fails_with_socket_error, connect, stream.as_raw_socket(), raw.get(), raw.length);
    // Winsock says a non-blocking connect is under way with WSAEWOULDBLOCK,
    // where Unix says EINPROGRESS.
    if (!started && !io::is_would_block(started.error())) return std::unexpected(started.error());
    return stream;
}
// [connect]

TcpStream TcpStream::from_raw_socket(SOCKET socket) noexcept { return TcpStream(sys::OwnedSocket(socket)); }

SOCKET TcpStream::into_raw_socket() && noexcept { return std::move(inner_).into_socket().release(); }

// [read-write]
io::Result<std::size_t> TcpStream::read(std::span<std::byte> buffer) const noexcept {
    // do_read with what recv is asked for (clamped): a short read re-arms.
    return to_size(inner_.do_read(static_cast<std::size_t>(clamp(buffer.size())), [&](SOCKET socket) {
        return METALIO_WINCALL(fails_with_socket_error, recv, socket, reinterpret_cast<char*>(buffer.data()),
                               clamp(buffer.size()), 0);
    }));
}

io::Result<std::size_t> TcpStream::write(std::span<const std::byte> data) const noexcept {
    // Windows has no SIGPIPE: a plain send() reports a gone peer as an error.
    return to_size(inner_.do_io([&](SOCKET socket) {
        return METALIO_WINCALL(fails_with_socket_error, send, socket, reinterpret_cast<const char*>(data.data()),
                               clamp(data.size()), 0);
    }));
}
// [read-write]

io::Result<std::size_t> TcpStream::write(std::string_view text) const noexcept {
    return write(std::as_bytes(std::span(text.data(), text.size())));
}

io::Result<std::size_t> TcpStream::peek(std::span<std::byte> buffer) const noexcept {
    return to_size(inner_.do_io([&](SOCKET socket) {
        return METALIO_WINCALL(fails_with_socket_error, recv, socket, reinterpret_cast<char*>(buffer.data()),
                               clamp(buffer.size()), MSG_PEEK);
    }));
}

// [vectored]
io::Result<std::size_t> TcpStream::read_vectored(std::span<const sys::IoSlice> buffers) const noexcept {
    DWORD received = 0;
    DWORD flags = 0;
    std::size_t asked = 0;
    for (const sys::IoSlice& buffer : buffers.first(count(buffers))) asked += buffer.len;
    // WSARecv's own result is 0 or SOCKET_ERROR; do_read needs the count.
    const auto done = inner_.do_read(asked, [&](SOCKET socket) -> io::Result<int> {
        // WSARecv only reads the WSABUF array, but declares it non-const.
        const auto called =
            METALIO_WINCALL(fails_with_socket_error, WSARecv, socket, const_cast<WSABUF*>(buffers.data()),
                            count(buffers), &received, &flags, LPWSAOVERLAPPED{nullptr},
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE{nullptr});
        if (!called) return std::unexpected(called.error());
        return static_cast<int>(received);
    });
    if (!done) return std::unexpected(done.error());
    return received;
}

io::Result<std::size_t> TcpStream::write_vectored(std::span<const sys::IoSlice> buffers) const noexcept {
    DWORD sent = 0;
    const auto done = inner_.do_io([&](SOCKET socket) {
        return METALIO_WINCALL(fails_with_socket_error, WSASend, socket, const_cast<WSABUF*>(buffers.data()),
                               count(buffers), &sent, DWORD{0}, LPWSAOVERLAPPED{nullptr},
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE{nullptr});
    });
    if (!done) return std::unexpected(done.error());
    return sent;
}
// [vectored]

io::Result<void> TcpStream::shutdown(Shutdown how) const noexcept {
    const int mode = how == Shutdown::Read ? SD_RECEIVE : how == Shutdown::Write ? SD_SEND : SD_BOTH;
    const auto done = METALIO_WINCALL(fails_with_socket_error, shutdown, as_raw_socket(), mode);
    if (!done) return std::unexpected(done.error());
    return {};
}

io::Result<void> TcpStream::set_nodelay(bool nodelay) const noexcept {
    return windows_net::set_int_option(as_raw_socket(), IPPROTO_TCP, TCP_NODELAY, nodelay ? 1 : 0);
}

io::Result<bool> TcpStream::nodelay() const noexcept {
    const auto value = windows_net::int_option(as_raw_socket(), IPPROTO_TCP, TCP_NODELAY);
    if (!value) return std::unexpected(value.error());
    return *value != 0;
}

io::Result<SocketAddr> TcpStream::peer_addr() const noexcept { return windows_net::peer_addr(as_raw_socket()); }

io::Result<SocketAddr> TcpStream::local_addr() const noexcept { return windows_net::local_addr(as_raw_socket()); }

io::Result<std::optional<std::error_code>> TcpStream::take_error() const noexcept {
    return windows_net::take_error(as_raw_socket());
}

}  // namespace metalio::net
