/// @file
/// rt::ring::TcpListener: stage 09's awaitable TCP listener, on the ring.
#pragma once

#include <utility>

#include "metalio/net/tcp_listener.hpp"
#include "metalio/rt/ring/tcp_stream.hpp"

namespace metalio::rt::ring {

// [tcp-listener]
/// A TCP listener on the ring runtime, with stage 09's rt::TcpListener
/// interface. accept() submits one accept and parks; a connection accepted
/// while nobody waits (its accept() was cancelled) is kept for the next
/// accept(). Move-only; destroying it abandons its Socket.
/// Introduced in chapter 10 (uring).
class TcpListener {
public:
    /// Binds and listens on @p addr (port 0: the kernel picks), in the ring
    /// runtime running on this thread. Errc::no_runtime outside block_on.
    static io::Result<TcpListener> bind(const net::SocketAddr& addr);
    /// Adopts a listening @p listener into the running ring runtime.
    static io::Result<TcpListener> from_std(net::TcpListener listener);

    /// Takes over @p other's Socket (and a waiting accept()).
    TcpListener(TcpListener&& other) noexcept : socket_(std::exchange(other.socket_, nullptr)) {}
    /// Closes this listener, then takes over @p other's Socket.
    TcpListener& operator=(TcpListener&& other) noexcept;
    TcpListener(const TcpListener&) = delete;
    TcpListener& operator=(const TcpListener&) = delete;
    /// Abandons the Socket: closed once the kernel let go of it.
    ~TcpListener();

    /// Waits for the next connection and returns it with the peer's
    /// address. Cancel safety: safe (a connection accepted after the
    /// cancel waits for the next accept()).
    Task<io::Result<std::pair<TcpStream, net::SocketAddr>>> accept();

    /// The bound address (with the real port after port 0).
    io::Result<net::SocketAddr> local_addr() const noexcept;

private:
    explicit TcpListener(Socket* socket) noexcept : socket_(socket) {}
    void close() noexcept;
    static Task<io::Result<std::pair<TcpStream, net::SocketAddr>>> accept_on(Socket* socket);

    Socket* socket_;
};
// [tcp-listener]

}  // namespace metalio::rt::ring
