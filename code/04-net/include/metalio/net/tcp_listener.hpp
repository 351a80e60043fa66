/// @file
/// TcpListener: a non-blocking TCP server socket.
#pragma once

#include <cstdint>
#include <optional>
#include <system_error>
#include <utility>

#include "metalio/net/io_socket.hpp"
#include "metalio/net/socket_addr.hpp"
#include "metalio/net/tcp_stream.hpp"

namespace metalio::net {

// [tcp-listener]
/// A non-blocking TCP socket that listens for connections: mio's
/// `net::TcpListener`.
///
/// Register it for READABLE: an event means at least one connection is
/// waiting. Call accept() until it fails with WouldBlock (io::is_would_block);
/// with edge-triggered readiness, connections left in the queue produce no
/// new event. Move-only; the socket is closed when the listener is
/// destroyed. Introduced in chapter 04 (net).
class TcpListener : public IoSocket {
public:
    /// Creates a listening socket on @p addr: socket(), `SO_REUSEADDR` (not
    /// on Windows, see chapter 04), bind(), listen(1024). On failure of any
    /// step the socket is closed and that step's error returned. Port 0 lets the kernel pick a free port
    /// (local_addr() says which).
    static io::Result<TcpListener> bind(const SocketAddr& addr) noexcept;

#if defined(_WIN32)
    /// Adopts a listening socket, taking ownership of it. The socket must be
    /// in non-blocking mode, or accept() will block the thread.
    static TcpListener from_raw_socket(SOCKET socket) noexcept;
    /// Gives the socket up; the caller must closesocket() it.
    [[nodiscard]] SOCKET into_raw_socket() && noexcept;
#else
    /// Adopts a listening socket, taking ownership of it. The fd must be in
    /// non-blocking mode, or accept() will block the thread.
    static TcpListener from_raw_fd(int fd) noexcept;
    /// Gives the socket up; the caller must close it.
    [[nodiscard]] int into_raw_fd() && noexcept;
#endif

    /// Takes one waiting connection: the new stream (non-blocking and
    /// close-on-exec, like every metalio fd) and the peer's address.
    /// WouldBlock when no connection is waiting.
    io::Result<std::pair<TcpStream, SocketAddr>> accept() const noexcept;

    /// The address the socket is bound to (with the real port after port 0).
    io::Result<SocketAddr> local_addr() const noexcept;
    /// Reads and clears the pending socket error (`SO_ERROR`); nullopt if none.
    io::Result<std::optional<std::error_code>> take_error() const noexcept;

    // as_raw_fd, set_ttl, ttl and the three Source functions: IoSocket.

private:
    explicit TcpListener(sys::OwnedSocket socket) noexcept : IoSocket(std::move(socket)) {}
};
// [tcp-listener]

static_assert(Source<TcpListener>);

}  // namespace metalio::net
