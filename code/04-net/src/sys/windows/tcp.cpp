// TcpListener's and TcpStream's system calls on winsock: the same functions
// as sys/unix/tcp.cpp.
#include "metalio/sys/windows/tcp.hpp"

#include <algorithm>
#include <climits>

#include "metalio/net/tcp_stream.hpp"
#include "metalio/sys/windows/net.hpp"
#include "metalio/sys/windows/syscall.hpp"

namespace metalio::sys::tcp {

using metalio::net::SocketAddr;

namespace {

// recv/send take an int length: a bigger buffer is a short read/write.
int clamp(std::size_t size) noexcept { return static_cast<int>(std::min<std::size_t>(size, INT_MAX)); }
DWORD count(std::span<const IoSlice> buffers) noexcept {
    return static_cast<DWORD>(std::min<std::size_t>(buffers.size(), 1024));
}

io::Result<std::size_t> to_size(io::Result<int> result) noexcept {
    if (!result) return std::unexpected(result.error());
    return static_cast<std::size_t>(*result);
}

}  // namespace

io::Result<void> bind(SOCKET socket, const SocketAddr& addr) noexcept {
    const SocketAddr::Raw raw = addr.to_raw();
    if (auto done = METALIO_WINCALL(fails_with_socket_error, bind, socket, raw.get(), raw.length); !done)
        return std::unexpected(done.error());
    return {};
}

io::Result<void> listen(SOCKET socket, int backlog) noexcept {
    if (auto done = METALIO_WINCALL(fails_with_socket_error, listen, socket, backlog); !done)
        return std::unexpected(done.error());
    return {};
}

// [connect]
io::Result<void> connect(SOCKET socket, const SocketAddr& addr) noexcept {
    const SocketAddr::Raw raw = addr.to_raw();
    const auto started = METALIO_WINCALL(fails_with_socket_error, connect, socket, raw.get(), raw.length);
    // Winsock says a non-blocking connect is under way with WSAEWOULDBLOCK,
    // where Unix says EINPROGRESS.
    if (!started && !io::is_would_block(started.error())) return std::unexpected(started.error());
    return {};
}
// [connect]

// [accept]
io::Result<std::pair<OwnedSocket, SocketAddr>> accept(SOCKET socket) noexcept {
    sockaddr_storage storage{};
    int length = sizeof storage;
    const auto accepted = METALIO_WINCALL(fails_with_socket_error, accept, socket,
                                          reinterpret_cast<sockaddr*>(&storage), &length);
    if (!accepted) return std::unexpected(accepted.error());
    OwnedSocket stream(*accepted);  // owned from here on
    // Winsock has no accept4: the new socket inherits the listener's
    // non-blocking mode, but say it anyway (as Rust's std does), and keep
    // child processes from inheriting it.
    if (auto done = net::set_non_blocking(stream.get()); !done) return std::unexpected(done.error());
    (void)::SetHandleInformation(reinterpret_cast<HANDLE>(stream.get()), HANDLE_FLAG_INHERIT, 0);
    auto peer = SocketAddr::from_raw(storage, length);
    if (!peer) return std::unexpected(peer.error());
    return std::pair<OwnedSocket, SocketAddr>(std::move(stream), *peer);
}
// [accept]

// [read-write]
io::Result<std::size_t> read(SOCKET socket, std::span<std::byte> buffer) noexcept {
    return to_size(METALIO_WINCALL(fails_with_socket_error, recv, socket, reinterpret_cast<char*>(buffer.data()),
                                   clamp(buffer.size()), 0));
}

io::Result<std::size_t> write(SOCKET socket, std::span<const std::byte> data) noexcept {
    // Windows has no SIGPIPE: a plain send() reports a gone peer as an error.
    return to_size(METALIO_WINCALL(fails_with_socket_error, send, socket,
                                   reinterpret_cast<const char*>(data.data()), clamp(data.size()), 0));
}
// [read-write]

io::Result<std::size_t> peek(SOCKET socket, std::span<std::byte> buffer) noexcept {
    return to_size(METALIO_WINCALL(fails_with_socket_error, recv, socket, reinterpret_cast<char*>(buffer.data()),
                                   clamp(buffer.size()), MSG_PEEK));
}

std::size_t vectored_size(std::span<const IoSlice> buffers) noexcept {
    std::size_t size = 0;
    for (const IoSlice& buffer : buffers.first(count(buffers))) size += buffer.len;
    return size;
}

// [vectored]
io::Result<std::size_t> read_vectored(SOCKET socket, std::span<const IoSlice> buffers) noexcept {
    DWORD received = 0;
    DWORD flags = 0;
    // WSARecv only reads the WSABUF array, but declares it non-const. Its
    // own result is 0 or SOCKET_ERROR; the count comes back in `received`.
    const auto called = METALIO_WINCALL(fails_with_socket_error, WSARecv, socket, const_cast<WSABUF*>(buffers.data()),
                                        count(buffers), &received, &flags, LPWSAOVERLAPPED{nullptr},
                                        LPWSAOVERLAPPED_COMPLETION_ROUTINE{nullptr});
    if (!called) return std::unexpected(called.error());
    return received;
}

io::Result<std::size_t> write_vectored(SOCKET socket, std::span<const IoSlice> buffers) noexcept {
    DWORD sent = 0;
    const auto called = METALIO_WINCALL(fails_with_socket_error, WSASend, socket, const_cast<WSABUF*>(buffers.data()),
                                        count(buffers), &sent, DWORD{0}, LPWSAOVERLAPPED{nullptr},
                                        LPWSAOVERLAPPED_COMPLETION_ROUTINE{nullptr});
    if (!called) return std::unexpected(called.error());
    return sent;
}
// [vectored]

io::Result<void> shutdown(SOCKET socket, metalio::net::Shutdown how) noexcept {
    using metalio::net::Shutdown;
    const int mode = how == Shutdown::Read ? SD_RECEIVE : how == Shutdown::Write ? SD_SEND : SD_BOTH;
    if (auto done = METALIO_WINCALL(fails_with_socket_error, shutdown, socket, mode); !done)
        return std::unexpected(done.error());
    return {};
}

}  // namespace metalio::sys::tcp
