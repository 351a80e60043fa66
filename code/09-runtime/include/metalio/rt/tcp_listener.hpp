/// @file
/// rt::TcpListener: a TCP server socket whose accept is awaited.
#pragma once

#include <utility>

#include "metalio/net/tcp_listener.hpp"
#include "metalio/rt/registration.hpp"
#include "metalio/rt/tcp_stream.hpp"

namespace metalio::rt {

// [tcp-listener]
/// A net::TcpListener registered with the runtime: tokio's
/// `net::TcpListener`. Move-only; it may move while an accept() waits
/// (the accept goes on with it, as TcpStream's operations do), and
/// destroying it ends a waiting accept() with Errc::io_closed.
/// Introduced in chapter 09 (runtime).
class TcpListener {
public:
    /// Takes over @p other's socket, registration and waiting accept().
    TcpListener(TcpListener&& other) noexcept
        : inner_(std::move(other.inner_)), registration_(std::move(other.registration_)) {
        registration_.set_owner(this);
    }
    /// Deregisters and closes this listener, then takes over @p other's.
    TcpListener& operator=(TcpListener&& other) noexcept;
    TcpListener(const TcpListener&) = delete;
    TcpListener& operator=(const TcpListener&) = delete;
    /// Deregisters the socket while it is still open, then closes it.
    ~TcpListener() { registration_.deregister(inner_); }

    /// Binds and listens on @p addr (port 0: the kernel picks), registered
    /// with the running runtime. Errc::no_runtime outside Runtime::block_on.
    static io::Result<TcpListener> bind(const net::SocketAddr& addr);
    /// Registers a listening @p listener with the running runtime.
    static io::Result<TcpListener> from_std(net::TcpListener listener);

    /// Waits for the next connection and returns it, registered, with the
    /// peer's address.
    /// Cancel safety: safe. A cancelled accept took no connection; the
    /// next accept() gets it.
    Task<io::Result<std::pair<TcpStream, net::SocketAddr>>> accept();

    /// The bound address (with the real port after port 0).
    io::Result<net::SocketAddr> local_addr() const noexcept { return inner_.local_addr(); }

private:
    TcpListener(net::TcpListener inner, Registration registration) noexcept
        : inner_(std::move(inner)), registration_(std::move(registration)) {
        registration_.set_owner(this);
    }
    // The coroutine behind accept(): it keeps the listener's readiness
    // record, not `this`, so that the listener may move meanwhile.
    static Task<io::Result<std::pair<TcpStream, net::SocketAddr>>> accept_on(ScheduledIo* io);

    net::TcpListener inner_;
    Registration registration_;
};
// [tcp-listener]

}  // namespace metalio::rt
