// UdpSocket's system calls on winsock: the same functions as sys/unix/udp.cpp.
#include "metalio/sys/windows/udp.hpp"

#include <mswsock.h>  // SIO_UDP_CONNRESET

#include <algorithm>
#include <climits>
#include <cstring>

#include "metalio/sys/windows/net.hpp"
#include "metalio/sys/windows/syscall.hpp"

namespace metalio::sys::udp {

using metalio::net::SocketAddr;

namespace {

// [port-unreachable]
// By default winsock answers the next receive on a UDP socket with
// WSAECONNRESET when an ICMP "port unreachable" came back for an earlier
// send, on unconnected sockets too: one client that went away would make a
// server's receive loop fail. Linux tells only a connected socket. Go and
// Cygwin switch the report off (libuv skips the error instead); so does
// metalio.
io::Result<void> ignore_port_unreachable(SOCKET socket) noexcept {
    BOOL report = FALSE;
    DWORD returned = 0;
    const auto done =
        METALIO_WINCALL(fails_with_socket_error, WSAIoctl, socket, DWORD{SIO_UDP_CONNRESET}, &report,
                        DWORD{sizeof report}, LPVOID{nullptr}, DWORD{0}, &returned, LPWSAOVERLAPPED{nullptr},
                        LPWSAOVERLAPPED_COMPLETION_ROUTINE{nullptr});
    if (!done) return std::unexpected(done.error());
    return {};
}
// [port-unreachable]

// winsock lengths are ints. A receive asks for at most INT_MAX bytes (no
// datagram is that big); a send of more would be a cut datagram, so it is
// refused whole, as the protocol would refuse it.
int receive_size(std::span<std::byte> buffer) noexcept {
    return static_cast<int>(std::min<std::size_t>(buffer.size(), INT_MAX));
}
io::Result<int> send_size(std::span<const std::byte> data) noexcept {
    if (data.size() > INT_MAX) return std::unexpected(windows::error_code(WSAEMSGSIZE));
    return static_cast<int>(data.size());
}

// [truncated]
// A datagram longer than the buffer: winsock fills the buffer, drops the
// rest and fails with WSAEMSGSIZE; Linux returns the count and says nothing.
// metalio gives the Unix answer everywhere (the count is the buffer's size),
// so one receive loop is right on both.
io::Result<std::size_t> received_size(io::Result<int> received, std::span<std::byte> buffer) noexcept {
    if (received) return static_cast<std::size_t>(*received);
    if (received.error() == std::errc::message_size) return static_cast<std::size_t>(receive_size(buffer));
    return std::unexpected(received.error());
}
// [truncated]

io::Result<std::size_t> sent_size(io::Result<int> sent) noexcept {
    if (!sent) return std::unexpected(sent.error());
    return static_cast<std::size_t>(*sent);
}

template <class Request>
io::Result<void> set_request(SOCKET socket, int level, int name, const Request& request) noexcept {
    const auto done = METALIO_WINCALL(fails_with_socket_error, setsockopt, socket, level, name,
                                      reinterpret_cast<const char*>(&request), int{sizeof request});
    if (!done) return std::unexpected(done.error());
    return {};
}

}  // namespace

// [bind]
io::Result<OwnedSocket> bind(const SocketAddr& addr) noexcept {
    auto socket = net::new_ip_socket(addr, SOCK_DGRAM);
    if (!socket) return std::unexpected(socket.error());
    // Owned from here on: a failure below closes it on the way out.
    if (auto done = ignore_port_unreachable(socket->get()); !done) return std::unexpected(done.error());
    const SocketAddr::Raw raw = addr.to_raw();
    const auto done = METALIO_WINCALL(fails_with_socket_error, bind, socket->get(), raw.get(), raw.length);
    if (!done) return std::unexpected(done.error());
    return std::move(*socket);
}
// [bind]

// [send-recv]
io::Result<std::size_t> send_to(SOCKET socket, std::span<const std::byte> data,
                                const SocketAddr& target) noexcept {
    const auto size = send_size(data);
    if (!size) return std::unexpected(size.error());
    const SocketAddr::Raw raw = target.to_raw();
    const auto* bytes = reinterpret_cast<const char*>(data.data());
    return sent_size(
        METALIO_WINCALL(fails_with_socket_error, sendto, socket, bytes, *size, 0, raw.get(), raw.length));
}

io::Result<std::pair<std::size_t, SocketAddr>> recv_from(SOCKET socket, std::span<std::byte> buffer,
                                                         int flags) noexcept {
    sockaddr_storage storage{};
    int length = sizeof storage;
    auto* bytes = reinterpret_cast<char*>(buffer.data());
    auto* from = reinterpret_cast<sockaddr*>(&storage);
    const int size = receive_size(buffer);
    const auto received = received_size(
        METALIO_WINCALL(fails_with_socket_error, recvfrom, socket, bytes, size, flags, from, &length), buffer);
    if (!received) return std::unexpected(received.error());
    const auto sender = SocketAddr::from_raw(storage, length);
    if (!sender) return std::unexpected(sender.error());
    return std::pair{*received, *sender};
}
// [send-recv]

io::Result<std::size_t> send(SOCKET socket, std::span<const std::byte> data) noexcept {
    const auto size = send_size(data);
    if (!size) return std::unexpected(size.error());
    const auto* bytes = reinterpret_cast<const char*>(data.data());
    return sent_size(METALIO_WINCALL(fails_with_socket_error, send, socket, bytes, *size, 0));
}

io::Result<std::size_t> recv(SOCKET socket, std::span<std::byte> buffer, int flags) noexcept {
    auto* bytes = reinterpret_cast<char*>(buffer.data());
    return received_size(
        METALIO_WINCALL(fails_with_socket_error, recv, socket, bytes, receive_size(buffer), flags), buffer);
}

io::Result<void> connect(SOCKET socket, const SocketAddr& peer) noexcept {
    const SocketAddr::Raw raw = peer.to_raw();
    const auto done = METALIO_WINCALL(fails_with_socket_error, connect, socket, raw.get(), raw.length);
    if (!done) return std::unexpected(done.error());
    return {};
}

io::Result<void> multicast_v4(SOCKET socket, bool join, const std::array<std::uint8_t, 4>& group,
                              const std::array<std::uint8_t, 4>& interface) noexcept {
    ip_mreq request{};
    std::memcpy(&request.imr_multiaddr, group.data(), group.size());
    std::memcpy(&request.imr_interface, interface.data(), interface.size());
    return set_request(socket, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, request);
}

io::Result<void> multicast_v6(SOCKET socket, bool join, const std::array<std::uint8_t, 16>& group,
                              std::uint32_t interface) noexcept {
    ipv6_mreq request{};
    std::memcpy(&request.ipv6mr_multiaddr, group.data(), group.size());
    request.ipv6mr_interface = interface;
    return set_request(socket, IPPROTO_IPV6, join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP, request);
}

}  // namespace metalio::sys::udp
