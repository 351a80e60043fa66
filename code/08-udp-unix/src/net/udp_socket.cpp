// UdpSocket on every platform: the class and its IoSource plumbing are
// written once; the system calls come from sys/unix/udp or, on Windows,
// sys/windows/udp (the same functions, over winsock).
#include "metalio/net/udp_socket.hpp"

// [platform]
#if defined(_WIN32)
#include "metalio/sys/windows/net.hpp"
#include "metalio/sys/windows/udp.hpp"
#else
#include <netinet/in.h>
#include <sys/socket.h>

#include "metalio/sys/unix/net.hpp"
#include "metalio/sys/unix/udp.hpp"
#endif
// [platform]

namespace metalio::net {

namespace udp = sys::udp;
using sys::RawSocket;

io::Result<UdpSocket> UdpSocket::bind(const SocketAddr& addr) noexcept {
    auto socket = udp::bind(addr);
    if (!socket) return std::unexpected(socket.error());
    return UdpSocket(std::move(*socket));
}

#if defined(_WIN32)
UdpSocket UdpSocket::from_raw_socket(SOCKET socket) noexcept { return UdpSocket(sys::OwnedSocket(socket)); }
#else
UdpSocket UdpSocket::from_raw_fd(int fd) noexcept { return UdpSocket(sys::OwnedFd(fd)); }
#endif

// [datagram-io]
io::Result<std::size_t> UdpSocket::send_to(std::span<const std::byte> data, const SocketAddr& target) const noexcept {
    return inner_.do_io([&](RawSocket socket) { return udp::send_to(socket, data, target); });
}

io::Result<std::pair<std::size_t, SocketAddr>> UdpSocket::recv_from(std::span<std::byte> buffer) const noexcept {
    return inner_.do_io([&](RawSocket socket) { return udp::recv_from(socket, buffer, 0); });
}
// [datagram-io]

io::Result<std::pair<std::size_t, SocketAddr>> UdpSocket::peek_from(std::span<std::byte> buffer) const noexcept {
    return inner_.do_io([&](RawSocket socket) { return udp::recv_from(socket, buffer, MSG_PEEK); });
}

io::Result<void> UdpSocket::connect(const SocketAddr& peer) const noexcept { return udp::connect(raw(), peer); }

io::Result<std::size_t> UdpSocket::send(std::span<const std::byte> data) const noexcept {
    return inner_.do_io([&](RawSocket socket) { return udp::send(socket, data); });
}

io::Result<std::size_t> UdpSocket::recv(std::span<std::byte> buffer) const noexcept {
    return inner_.do_io([&](RawSocket socket) { return udp::recv(socket, buffer, 0); });
}

io::Result<std::size_t> UdpSocket::peek(std::span<std::byte> buffer) const noexcept {
    return inner_.do_io([&](RawSocket socket) { return udp::recv(socket, buffer, MSG_PEEK); });
}

io::Result<SocketAddr> UdpSocket::local_addr() const noexcept { return sys::net::local_addr(raw()); }

io::Result<SocketAddr> UdpSocket::peer_addr() const noexcept { return sys::net::peer_addr(raw()); }

// [options]
// Every option below is one int-sized setsockopt/getsockopt; the kernel
// answers booleans as 0/1 and TTLs as small numbers.
io::Result<void> UdpSocket::set_option(int level, int name, std::uint32_t value) const noexcept {
    return sys::net::set_int_option(raw(), level, name, static_cast<int>(value));
}

io::Result<std::uint32_t> UdpSocket::option(int level, int name) const noexcept {
    const auto value = sys::net::int_option(raw(), level, name);
    if (!value) return std::unexpected(value.error());
    return static_cast<std::uint32_t>(*value);
}
// [options]

namespace {

io::Result<bool> as_bool(io::Result<std::uint32_t> value) noexcept {
    if (!value) return std::unexpected(value.error());
    return *value != 0;
}

}  // namespace

io::Result<void> UdpSocket::set_broadcast(bool on) const noexcept { return set_option(SOL_SOCKET, SO_BROADCAST, on); }
io::Result<bool> UdpSocket::broadcast() const noexcept { return as_bool(option(SOL_SOCKET, SO_BROADCAST)); }

io::Result<void> UdpSocket::set_multicast_loop_v4(bool on) const noexcept {
    return set_option(IPPROTO_IP, IP_MULTICAST_LOOP, on);
}
io::Result<bool> UdpSocket::multicast_loop_v4() const noexcept {
    return as_bool(option(IPPROTO_IP, IP_MULTICAST_LOOP));
}

io::Result<void> UdpSocket::set_multicast_ttl_v4(std::uint32_t ttl) const noexcept {
    return set_option(IPPROTO_IP, IP_MULTICAST_TTL, ttl);
}
io::Result<std::uint32_t> UdpSocket::multicast_ttl_v4() const noexcept { return option(IPPROTO_IP, IP_MULTICAST_TTL); }

io::Result<void> UdpSocket::set_multicast_loop_v6(bool on) const noexcept {
    return set_option(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, on);
}
io::Result<bool> UdpSocket::multicast_loop_v6() const noexcept {
    return as_bool(option(IPPROTO_IPV6, IPV6_MULTICAST_LOOP));
}

io::Result<bool> UdpSocket::only_v6() const noexcept { return as_bool(option(IPPROTO_IPV6, IPV6_V6ONLY)); }

io::Result<void> UdpSocket::join_multicast_v4(const Ipv4Addr& group, const Ipv4Addr& interface) const noexcept {
    return udp::multicast_v4(raw(), true, group, interface);
}
io::Result<void> UdpSocket::leave_multicast_v4(const Ipv4Addr& group, const Ipv4Addr& interface) const noexcept {
    return udp::multicast_v4(raw(), false, group, interface);
}
io::Result<void> UdpSocket::join_multicast_v6(const Ipv6Addr& group, std::uint32_t interface) const noexcept {
    return udp::multicast_v6(raw(), true, group, interface);
}
io::Result<void> UdpSocket::leave_multicast_v6(const Ipv6Addr& group, std::uint32_t interface) const noexcept {
    return udp::multicast_v6(raw(), false, group, interface);
}

io::Result<std::optional<std::error_code>> UdpSocket::take_error() const noexcept {
    return sys::net::take_error(raw());
}

}  // namespace metalio::net
