/// @file
/// The POSIX system calls behind net::UdpSocket (mio's sys/unix/udp.rs).
/// sys/windows/udp.hpp provides the same functions over winsock.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "metalio/io.hpp"
#include "metalio/net/socket_addr.hpp"
#include "metalio/sys/owned_fd.hpp"

namespace metalio::sys::udp {

/// A non-blocking, close-on-exec UDP socket bound to @p addr (socket + bind;
/// no `SO_REUSEADDR`, as in mio). Introduced in chapter 08.
io::Result<OwnedFd> bind(const metalio::net::SocketAddr& addr) noexcept;

/// sendto(2) of one datagram to @p target. Introduced in chapter 08.
io::Result<std::size_t> send_to(int fd, std::span<const std::byte> data,
                                const metalio::net::SocketAddr& target) noexcept;
/// recvfrom(2) of one datagram and its sender; @p flags is 0 or `MSG_PEEK`.
/// Introduced in chapter 08.
io::Result<std::pair<std::size_t, metalio::net::SocketAddr>> recv_from(int fd, std::span<std::byte> buffer,
                                                                      int flags) noexcept;
/// send(2) of one datagram to the connected peer (`MSG_NOSIGNAL`).
/// Introduced in chapter 08.
io::Result<std::size_t> send(int fd, std::span<const std::byte> data) noexcept;
/// recv(2) of one datagram from the connected peer; @p flags is 0 or
/// `MSG_PEEK`. Introduced in chapter 08.
io::Result<std::size_t> recv(int fd, std::span<std::byte> buffer, int flags) noexcept;
/// connect(2): sets the default peer and filters incoming datagrams.
/// Introduced in chapter 08.
io::Result<void> connect(int fd, const metalio::net::SocketAddr& peer) noexcept;

/// `IP_ADD_MEMBERSHIP` (@p join) or `IP_DROP_MEMBERSHIP` for an IPv4 group
/// on the interface with address @p interface (0.0.0.0: the kernel picks).
/// Introduced in chapter 08.
io::Result<void> multicast_v4(int fd, bool join, const std::array<std::uint8_t, 4>& group,
                              const std::array<std::uint8_t, 4>& interface) noexcept;
/// `IPV6_ADD_MEMBERSHIP` / `IPV6_DROP_MEMBERSHIP` on interface index
/// @p interface (0: the kernel picks). Introduced in chapter 08.
io::Result<void> multicast_v6(int fd, bool join, const std::array<std::uint8_t, 16>& group,
                              std::uint32_t interface) noexcept;

}  // namespace metalio::sys::udp
