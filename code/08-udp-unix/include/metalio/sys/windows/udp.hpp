/// @file
/// The winsock calls behind net::UdpSocket on Windows (mio's
/// sys/windows/udp.rs; the Windows sibling of sys/unix/udp.hpp, with the
/// same functions).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "metalio/io.hpp"
#include "metalio/net/socket_addr.hpp"
#include "metalio/sys/socket.hpp"

namespace metalio::sys::udp {

/// A non-blocking, non-inheritable UDP socket bound to @p addr, with
/// winsock's "port unreachable" reports on receive turned off
/// (`SIO_UDP_CONNRESET`); no `SO_REUSEADDR`, as in mio. Introduced in chapter 08.
io::Result<OwnedSocket> bind(const metalio::net::SocketAddr& addr) noexcept;

/// sendto() of one datagram to @p target; a datagram longer than winsock's
/// `int` length is `WSAEMSGSIZE` (never cut). Introduced in chapter 08.
io::Result<std::size_t> send_to(SOCKET socket, std::span<const std::byte> data,
                                const metalio::net::SocketAddr& target) noexcept;
/// recvfrom() of one datagram and its sender; @p flags is 0 or `MSG_PEEK`.
/// A datagram cut to fit @p buffer counts as @p buffer's size, as on Unix
/// (winsock reports it as `WSAEMSGSIZE`). Introduced in chapter 08.
io::Result<std::pair<std::size_t, metalio::net::SocketAddr>> recv_from(SOCKET socket, std::span<std::byte> buffer,
                                                                      int flags) noexcept;
/// send() of one datagram to the connected peer. Introduced in chapter 08.
io::Result<std::size_t> send(SOCKET socket, std::span<const std::byte> data) noexcept;
/// recv() of one datagram from the connected peer, with recv_from()'s
/// truncation rule. Introduced in chapter 08.
io::Result<std::size_t> recv(SOCKET socket, std::span<std::byte> buffer, int flags) noexcept;
/// connect(): sets the default peer and filters incoming datagrams.
/// Introduced in chapter 08.
io::Result<void> connect(SOCKET socket, const metalio::net::SocketAddr& peer) noexcept;

/// `IP_ADD_MEMBERSHIP` (@p join) or `IP_DROP_MEMBERSHIP` for an IPv4 group
/// on the interface with address @p interface. Introduced in chapter 08.
io::Result<void> multicast_v4(SOCKET socket, bool join, const std::array<std::uint8_t, 4>& group,
                              const std::array<std::uint8_t, 4>& interface) noexcept;
/// `IPV6_ADD_MEMBERSHIP` / `IPV6_DROP_MEMBERSHIP` on interface index
/// @p interface. Introduced in chapter 08.
io::Result<void> multicast_v6(SOCKET socket, bool join, const std::array<std::uint8_t, 16>& group,
                              std::uint32_t interface) noexcept;

}  // namespace metalio::sys::udp
