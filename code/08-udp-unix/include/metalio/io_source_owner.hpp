/// @file
/// IoSourceOwner: net::IoSocket's Source forwarders for every owning type of stage 08.
#pragma once

#include <utility>

#include "metalio/net/io_socket.hpp"

namespace metalio {

// [io-source-owner]
/// The part every owning I/O type of stage 08 has in common: one IoSource,
/// the three Source operations forwarded to it, and the raw-fd accessors
/// (the raw-socket ones on Windows, where only UdpSocket is built on it).
///
/// The forwarders are net::IoSocket's (chapter 04), not a third copy: this
/// class inherits them and makes public only what every descriptor has. It
/// leaves out IoSocket's `ttl`/`set_ttl`, which mean nothing for a Unix
/// socket or a pipe; UdpSocket, an IP socket, makes them public again. No
/// virtual function: a derived type is exactly as big as its IoSource, and
/// Registry's templates still call the members directly.
/// Introduced in chapter 08 (udp-unix).
class IoSourceOwner : protected net::IoSocket {
public:
#if defined(_WIN32)
    /// The socket, still owned by this object.
    using net::IoSocket::as_raw_socket;
#else
    /// The descriptor, still owned by this object.
    using net::IoSocket::as_raw_fd;
#endif
    /// Source: registers the descriptor (see IoSource::register_).
    using net::IoSocket::register_;
    /// Source: changes token and interests.
    using net::IoSocket::reregister;
    /// Source: stops the events.
    using net::IoSocket::deregister;

#if defined(_WIN32)
    /// Gives the socket up (deregistering it first); the caller must
    /// closesocket() it.
    [[nodiscard]] SOCKET into_raw_socket() && noexcept { return std::move(inner_).into_socket().release(); }
#else
    /// Gives the descriptor up (deregistering it first in a poll(2) build);
    /// the caller must close it.
    [[nodiscard]] int into_raw_fd() && noexcept { return std::move(inner_).into_fd().release(); }
#endif

protected:
    /// Takes ownership of @p socket (a descriptor on Unix, a `SOCKET` on Windows).
    explicit IoSourceOwner(sys::OwnedSocket socket) noexcept : net::IoSocket(std::move(socket)) {}

    /// The descriptor or socket for the derived types' system calls:
    /// IoSocket's.
    using net::IoSocket::raw;
};
// [io-source-owner]

static_assert(Source<IoSourceOwner>);

}  // namespace metalio
