/// @file
/// posix::UnixDatagram: a non-blocking Unix domain datagram socket.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <system_error>
#include <utility>

#include "metalio/io_source_owner.hpp"
#include "metalio/net/tcp_stream.hpp"
#include "metalio/posix/socket_addr.hpp"

namespace metalio::posix {

// [unix-datagram]
/// A Unix domain datagram socket: mio's `net::UnixDatagram`.
///
/// Datagrams as with net::UdpSocket (one send is one datagram, one receive
/// returns one, a too-small buffer truncates it), but local and reliable:
/// a datagram is never lost or reordered, and a sender whose receiver's
/// queue is full gets WouldBlock instead of having the datagram dropped.
/// Move-only. Introduced in chapter 08 (udp-unix).
class UnixDatagram : public IoSourceOwner {
public:
    /// A socket bound to @p path (`EADDRINUSE` if the file exists).
    static io::Result<UnixDatagram> bind(std::string_view path) noexcept;
    /// A socket bound to @p addr (a pathname or abstract address).
    static io::Result<UnixDatagram> bind_addr(const SocketAddr& addr) noexcept;
    /// A socket with no address: it can send, and receive replies only
    /// after connect() (or from a pair()).
    static io::Result<UnixDatagram> unbound() noexcept;
    /// Two unnamed sockets connected to each other (socketpair).
    static io::Result<std::pair<UnixDatagram, UnixDatagram>> pair() noexcept;
    /// Adopts a Unix datagram socket, taking ownership. It must be non-blocking.
    static UnixDatagram from_raw_fd(int fd) noexcept;

    /// Sets the default peer to the socket at @p path (`ENOENT` if none).
    io::Result<void> connect(std::string_view path) const noexcept;
    /// Sets the default peer to @p addr.
    io::Result<void> connect_addr(const SocketAddr& addr) const noexcept;

    /// Sends one datagram to the socket at @p path.
    io::Result<std::size_t> send_to(std::span<const std::byte> data, std::string_view path) const noexcept;
    /// Sends one datagram to @p target.
    io::Result<std::size_t> send_to_addr(std::span<const std::byte> data, const SocketAddr& target) const noexcept;
    /// Receives one datagram and the address of its sender (unnamed if it had none).
    io::Result<std::pair<std::size_t, SocketAddr>> recv_from(std::span<std::byte> buffer) const noexcept;
    /// Sends one datagram to the connected peer.
    io::Result<std::size_t> send(std::span<const std::byte> data) const noexcept;
    /// Receives one datagram.
    io::Result<std::size_t> recv(std::span<std::byte> buffer) const noexcept;
    /// Like recv(), but the datagram stays queued.
    io::Result<std::size_t> peek(std::span<std::byte> buffer) const noexcept;
    /// Stops receiving (Read), sending (Write) or both.
    io::Result<void> shutdown(net::Shutdown how) const noexcept;

    /// The address of this socket (unnamed if unbound).
    io::Result<SocketAddr> local_addr() const noexcept;
    /// The connected peer; `ENOTCONN` before connect().
    io::Result<SocketAddr> peer_addr() const noexcept;
    /// Reads and clears the pending socket error (`SO_ERROR`); nullopt if none.
    io::Result<std::optional<std::error_code>> take_error() const noexcept;

private:
    explicit UnixDatagram(sys::OwnedFd fd) noexcept : IoSourceOwner(std::move(fd)) {}
};
// [unix-datagram]

static_assert(Source<UnixDatagram>);

}  // namespace metalio::posix
