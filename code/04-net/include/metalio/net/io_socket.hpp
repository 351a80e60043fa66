/// @file
/// IoSocket: what TcpListener and TcpStream share.
#pragma once

#include <cstdint>
#include <utility>

#include "metalio/io_source.hpp"
#include "metalio/sys/socket.hpp"

namespace metalio::net {

// [io-socket]
/// A socket owned by an IoSource: the part TcpListener and TcpStream have in
/// common, written once. It forwards the three Source operations to the
/// IoSource (which does the SelectorId check of chapter 03) and offers the
/// socket calls that mean the same on both kinds of socket.
///
/// mio writes these forwarders out for each type; metalio keeps them in one
/// base class, so the two types cannot drift apart. Not used on its own: its
/// constructor is protected. Introduced in chapter 04 (net).
class IoSocket {
public:
#if defined(_WIN32)
    /// The socket, still owned by this object.
    [[nodiscard]] SOCKET as_raw_socket() const noexcept { return inner_.as_raw_socket(); }
#else
    /// The socket, still owned by this object.
    [[nodiscard]] int as_raw_fd() const noexcept { return inner_.as_raw_fd(); }
#endif

    /// Sets the time-to-live of outgoing packets (`IP_TTL`). On a listener,
    /// the streams it accepts start with this value.
    io::Result<void> set_ttl(std::uint32_t ttl) const noexcept;
    /// The time-to-live set on the socket.
    io::Result<std::uint32_t> ttl() const noexcept;

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

protected:
    /// Takes ownership of @p socket.
    explicit IoSocket(sys::OwnedSocket socket) noexcept : inner_(std::move(socket)) {}
    // Moved and destroyed only as part of a TcpListener or TcpStream: no
    // slicing a stream into a bare IoSocket, no delete through a base pointer.
    /// Moves the socket (for the derived types' moves).
    IoSocket(IoSocket&&) noexcept = default;
    /// Moves the socket (for the derived types' moves).
    IoSocket& operator=(IoSocket&&) noexcept = default;
    /// Closes the socket (deregistering it first in a poll(2) build).
    ~IoSocket() = default;

    /// The descriptor or socket, for the system calls of the derived types'
    /// shared source files (as_raw_fd() on Unix, as_raw_socket() on Windows).
    [[nodiscard]] sys::RawSocket raw() const noexcept {
#if defined(_WIN32)
        return inner_.as_raw_socket();
#else
        return inner_.as_raw_fd();
#endif
    }

    /// The socket and its registration; the derived types do their I/O
    /// through inner_.do_io().
    IoSource inner_;
};
// [io-socket]

static_assert(Source<IoSocket>);

}  // namespace metalio::net
