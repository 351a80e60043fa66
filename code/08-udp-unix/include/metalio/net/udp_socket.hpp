/// @file
/// UdpSocket: a non-blocking UDP socket.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <system_error>
#include <utility>

#include "metalio/io_source_owner.hpp"
#include "metalio/net/socket_addr.hpp"

namespace metalio::net {

/// The four bytes of an IPv4 address, e.g. `{224, 0, 0, 123}` (Rust's `Ipv4Addr`).
/// Introduced in chapter 08 (udp-unix).
using Ipv4Addr = std::array<std::uint8_t, 4>;
/// The sixteen bytes of an IPv6 address, network order (Rust's `Ipv6Addr`).
/// Introduced in chapter 08 (udp-unix).
using Ipv6Addr = std::array<std::uint8_t, 16>;

// [udp-socket]
/// A non-blocking UDP socket: mio's `net::UdpSocket`.
///
/// UDP moves datagrams, not a byte stream: every send is one datagram and
/// every receive returns exactly one, or WouldBlock when none is queued. A
/// buffer smaller than the datagram receives its first bytes and the rest
/// is discarded by the kernel (the count then equals the buffer's size, on
/// Windows too, where winsock reports the cut as `WSAEMSGSIZE` and metalio
/// returns the count instead), so give receives a buffer as big as the
/// largest datagram you expect (65,507 bytes is the most UDP over IPv4
/// carries). A receive that returns fewer bytes than the buffer holds says
/// nothing about the queue: more datagrams may be waiting. Register for
/// READABLE and receive until WouldBlock.
///
/// Built on Windows too (winsock, the IOCP selector). There `bind` turns off
/// winsock's `WSAECONNRESET` on receive after an ICMP "port unreachable"
/// (`SIO_UDP_CONNRESET`), so a receive never fails for an earlier send; a
/// socket adopted with from_raw_socket() keeps its own setting.
///
/// Move-only; the socket is closed when the object is destroyed.
/// Introduced in chapter 08 (udp-unix).
class UdpSocket : public IoSourceOwner {
public:
    /// A socket bound to @p addr (port 0: the kernel picks one, see local_addr()).
    static io::Result<UdpSocket> bind(const SocketAddr& addr) noexcept;
#if defined(_WIN32)
    /// Adopts a UDP socket, taking ownership. It must be non-blocking.
    static UdpSocket from_raw_socket(SOCKET socket) noexcept;
#else
    /// Adopts a UDP socket, taking ownership. It must be non-blocking.
    static UdpSocket from_raw_fd(int fd) noexcept;
#endif

    /// Sends @p data as one datagram to @p target; returns the bytes sent
    /// (all of them: a datagram is never cut). `EMSGSIZE` if it is too big.
    io::Result<std::size_t> send_to(std::span<const std::byte> data, const SocketAddr& target) const noexcept;
    /// Receives one datagram: its size (at most @p buffer's) and its sender.
    io::Result<std::pair<std::size_t, SocketAddr>> recv_from(std::span<std::byte> buffer) const noexcept;
    /// Like recv_from(), but the datagram stays queued.
    io::Result<std::pair<std::size_t, SocketAddr>> peek_from(std::span<std::byte> buffer) const noexcept;

    /// Sets the default peer for send(), recv() and peek(); datagrams from
    /// any other address are then dropped by the kernel. Can be called again.
    io::Result<void> connect(const SocketAddr& peer) const noexcept;
    /// Sends one datagram to the connected peer (`EDESTADDRREQ` if none;
    /// `WSAENOTCONN` on Windows).
    io::Result<std::size_t> send(std::span<const std::byte> data) const noexcept;
    /// Receives one datagram from the connected peer.
    io::Result<std::size_t> recv(std::span<std::byte> buffer) const noexcept;
    /// Like recv(), but the datagram stays queued.
    io::Result<std::size_t> peek(std::span<std::byte> buffer) const noexcept;

    /// The address this socket is bound to.
    io::Result<SocketAddr> local_addr() const noexcept;
    /// The connected peer; `ENOTCONN` before connect().
    io::Result<SocketAddr> peer_addr() const noexcept;

    /// Allows sending to broadcast addresses (`SO_BROADCAST`).
    io::Result<void> set_broadcast(bool on) const noexcept;
    /// Whether `SO_BROADCAST` is set.
    io::Result<bool> broadcast() const noexcept;
    /// Whether IPv4 multicast sent from here is looped back to this host.
    io::Result<void> set_multicast_loop_v4(bool on) const noexcept;
    /// `IP_MULTICAST_LOOP`.
    io::Result<bool> multicast_loop_v4() const noexcept;
    /// The time-to-live of outgoing IPv4 multicast datagrams (1: this network only).
    io::Result<void> set_multicast_ttl_v4(std::uint32_t ttl) const noexcept;
    /// `IP_MULTICAST_TTL`.
    io::Result<std::uint32_t> multicast_ttl_v4() const noexcept;
    /// Whether IPv6 multicast sent from here is looped back to this host.
    io::Result<void> set_multicast_loop_v6(bool on) const noexcept;
    /// `IPV6_MULTICAST_LOOP`.
    io::Result<bool> multicast_loop_v6() const noexcept;
    /// The time-to-live of outgoing unicast datagrams (`IP_TTL`): net::IoSocket's.
    using IoSocket::set_ttl;
    /// `IP_TTL`: net::IoSocket's.
    using IoSocket::ttl;
    /// Whether an IPv6 socket refuses IPv4 traffic (`IPV6_V6ONLY`).
    io::Result<bool> only_v6() const noexcept;

    /// Joins the IPv4 multicast group @p group on the interface with
    /// address @p interface (`{0, 0, 0, 0}`: let the kernel choose).
    io::Result<void> join_multicast_v4(const Ipv4Addr& group, const Ipv4Addr& interface) const noexcept;
    /// Leaves a group joined with join_multicast_v4().
    io::Result<void> leave_multicast_v4(const Ipv4Addr& group, const Ipv4Addr& interface) const noexcept;
    /// Joins the IPv6 multicast group @p group on interface index @p interface (0: any).
    io::Result<void> join_multicast_v6(const Ipv6Addr& group, std::uint32_t interface) const noexcept;
    /// Leaves a group joined with join_multicast_v6().
    io::Result<void> leave_multicast_v6(const Ipv6Addr& group, std::uint32_t interface) const noexcept;

    /// Reads and clears the pending socket error (`SO_ERROR`), e.g. the
    /// `ECONNREFUSED` an ICMP "port unreachable" leaves on a connected
    /// socket on Unix (Windows, with the report off, keeps none).
    io::Result<std::optional<std::error_code>> take_error() const noexcept;

private:
    explicit UdpSocket(sys::OwnedSocket socket) noexcept : IoSourceOwner(std::move(socket)) {}

    io::Result<void> set_option(int level, int name, std::uint32_t value) const noexcept;
    io::Result<std::uint32_t> option(int level, int name) const noexcept;
};
// [udp-socket]

static_assert(Source<UdpSocket>);

}  // namespace metalio::net
