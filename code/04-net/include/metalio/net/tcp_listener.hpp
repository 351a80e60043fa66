/// @file
/// TcpListener: a non-blocking TCP server socket.
#pragma once

#include <cstdint>
#include <optional>
#include <system_error>
#include <utility>

#include "metalio/io_source.hpp"
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
class TcpListener {
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
    /// The socket, still owned by this listener.
    [[nodiscard]] SOCKET as_raw_socket() const noexcept { return inner_.as_raw_socket(); }
#else
    /// Adopts a listening socket, taking ownership of it. The fd must be in
    /// non-blocking mode, or accept() will block the thread.
    static TcpListener from_raw_fd(int fd) noexcept;
    /// Gives the socket up; the caller must close it.
    [[nodiscard]] int into_raw_fd() && noexcept;
    /// The socket, still owned by this listener.
    [[nodiscard]] int as_raw_fd() const noexcept { return inner_.as_raw_fd(); }
#endif

    /// Takes one waiting connection: the new stream (non-blocking and
    /// close-on-exec, like every metalio fd) and the peer's address.
    /// WouldBlock when no connection is waiting.
    io::Result<std::pair<TcpStream, SocketAddr>> accept() const noexcept;

    /// The address the socket is bound to (with the real port after port 0).
    io::Result<SocketAddr> local_addr() const noexcept;
    /// Sets the time-to-live of outgoing packets (`IP_TTL`) for accepted streams.
    io::Result<void> set_ttl(std::uint32_t ttl) const noexcept;
    /// The time-to-live set on the socket.
    io::Result<std::uint32_t> ttl() const noexcept;
    /// Reads and clears the pending socket error (`SO_ERROR`); nullopt if none.
    io::Result<std::optional<std::error_code>> take_error() const noexcept;

    /// Source: registers the socket (see IoSource::register_).
    io::Result<void> register_(const Registry& registry, Token token, Interest interests) const noexcept {
        return inner_.register_(registry, token, interests);
    }
    /// Source: changes token and interests.
    io::Result<void> reregister(const Registry& registry, Token token, Interest interests) const noexcept {
        return inner_.reregister(registry, token, interests);
    }
    /// Source: stops the events.
    io::Result<void> deregister(const Registry& registry) const noexcept { return inner_.deregister(registry); }

private:
    explicit TcpListener(sys::OwnedSocket socket) noexcept : inner_(std::move(socket)) {}

    IoSource inner_;
};
// [tcp-listener]

static_assert(Source<TcpListener>);

}  // namespace metalio::net
