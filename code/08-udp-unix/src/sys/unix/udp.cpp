#include "metalio/sys/unix/udp.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/send.hpp"
#include "metalio/sys/unix/portable/uds.hpp"
#include "metalio/sys/unix/fd_io.hpp"
#include "metalio/sys/unix/net.hpp"

namespace metalio::sys::udp {

using metalio::net::SocketAddr;

// [bind]
io::Result<OwnedFd> bind(const SocketAddr& addr) noexcept {
    auto socket = net::new_ip_socket(addr, SOCK_DGRAM);
    if (!socket) return std::unexpected(socket.error());
    // Owned from here on: a failed bind closes it on the way out.
    const SocketAddr::Raw raw = addr.to_raw();
    if (auto done = METALIO_SYSCALL(bind, socket->get(), raw.get(), raw.length); !done) {
        return std::unexpected(done.error());
    }
    return std::move(*socket);
}
// [bind]

// [send-recv]
io::Result<std::size_t> send_to(int fd, std::span<const std::byte> data, const SocketAddr& target) noexcept {
    const SocketAddr::Raw raw = target.to_raw();
    return fd_io::to_size(
        portable::send_to(fd, data.data(), data.size(), raw.get(), raw.length));
}

io::Result<std::pair<std::size_t, SocketAddr>> recv_from(int fd, std::span<std::byte> buffer, int flags) noexcept {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    const auto received = METALIO_SYSCALL(recvfrom, fd, buffer.data(), buffer.size(), flags,
                                          reinterpret_cast<sockaddr*>(&storage), &length);
    if (!received) return std::unexpected(received.error());
    const auto sender = SocketAddr::from_raw(storage, length);
    if (!sender) return std::unexpected(sender.error());
    return std::pair{static_cast<std::size_t>(*received), *sender};
}
// [send-recv]

// The connected forms are fd_io's, shared with the Unix domain sockets.
io::Result<std::size_t> send(int fd, std::span<const std::byte> data) noexcept { return fd_io::send(fd, data); }

io::Result<std::size_t> recv(int fd, std::span<std::byte> buffer, int flags) noexcept {
    return fd_io::recv(fd, buffer, flags);
}

io::Result<void> connect(int fd, const SocketAddr& peer) noexcept {
    const SocketAddr::Raw raw = peer.to_raw();
    const auto done = METALIO_SYSCALL(connect, fd, raw.get(), raw.length);
    if (!done) return std::unexpected(done.error());
    return {};
}

namespace {

template <class Request>
io::Result<void> set_request(int fd, int level, int name, const Request& request) noexcept {
    const auto done = METALIO_SYSCALL(setsockopt, fd, level, name, &request, socklen_t{sizeof request});
    if (!done) return std::unexpected(done.error());
    return {};
}

}  // namespace

io::Result<void> multicast_v4(int fd, bool join, const std::array<std::uint8_t, 4>& group,
                              const std::array<std::uint8_t, 4>& interface) noexcept {
    ip_mreq request{};
    std::memcpy(&request.imr_multiaddr, group.data(), group.size());
    std::memcpy(&request.imr_interface, interface.data(), interface.size());
    return set_request(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, request);
}

io::Result<void> multicast_v6(int fd, bool join, const std::array<std::uint8_t, 16>& group,
                              std::uint32_t interface) noexcept {
    ipv6_mreq request{};
    std::memcpy(&request.ipv6mr_multiaddr, group.data(), group.size());
    request.ipv6mr_interface = interface;
    return set_request(fd, IPPROTO_IPV6, join ? portable::ipv6_join_group : portable::ipv6_leave_group, request);
}

}  // namespace metalio::sys::udp
