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
/// `net::TcpListener`. Move-only; must outlive its accept() tasks.
/// Introduced in chapter 09 (runtime).
class TcpListener {
public:
    /// Binds and listens on @p addr (port 0: the kernel picks), registered
    /// with the running runtime. Errc::no_runtime outside Runtime::block_on.
    static io::Result<TcpListener> bind(const net::SocketAddr& addr);
    /// Registers a listening @p listener with the running runtime.
    static io::Result<TcpListener> from_std(net::TcpListener listener);

    /// Waits for the next connection and returns it, registered, with the
    /// peer's address.
    Task<io::Result<std::pair<TcpStream, net::SocketAddr>>> accept();

    /// The bound address (with the real port after port 0).
    io::Result<net::SocketAddr> local_addr() const noexcept { return inner_.local_addr(); }

private:
    TcpListener(net::TcpListener inner, Registration registration) noexcept
        : inner_(std::move(inner)), registration_(std::move(registration)) {}

    net::TcpListener inner_;
    Registration registration_;
};
// [tcp-listener]

}  // namespace metalio::rt
