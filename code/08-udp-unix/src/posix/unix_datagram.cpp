#include "metalio/posix/unix_datagram.hpp"

#include <sys/socket.h>

#include "metalio/sys/unix/fd_io.hpp"
#include "metalio/sys/unix/net.hpp"
#include "metalio/sys/unix/uds.hpp"

namespace metalio::posix {

namespace fd_io = sys::fd_io;

io::Result<UnixDatagram> UnixDatagram::bind(std::string_view path) noexcept {
    const auto addr = SocketAddr::from_pathname(path);
    if (!addr) return std::unexpected(addr.error());
    return bind_addr(*addr);
}

io::Result<UnixDatagram> UnixDatagram::bind_addr(const SocketAddr& addr) noexcept {
    auto socket = sys::uds::bind(SOCK_DGRAM, addr);
    if (!socket) return std::unexpected(socket.error());
    return UnixDatagram(std::move(*socket));
}

io::Result<UnixDatagram> UnixDatagram::unbound() noexcept {
    auto socket = sys::net::new_socket(AF_UNIX, SOCK_DGRAM);
    if (!socket) return std::unexpected(socket.error());
    return UnixDatagram(std::move(*socket));
}

io::Result<std::pair<UnixDatagram, UnixDatagram>> UnixDatagram::pair() noexcept {
    auto fds = sys::uds::pair(SOCK_DGRAM);
    if (!fds) return std::unexpected(fds.error());
    return std::pair{UnixDatagram(std::move(fds->first)), UnixDatagram(std::move(fds->second))};
}

UnixDatagram UnixDatagram::from_raw_fd(int fd) noexcept { return UnixDatagram(sys::OwnedFd(fd)); }

io::Result<void> UnixDatagram::connect(std::string_view path) const noexcept {
    const auto addr = SocketAddr::from_pathname(path);
    if (!addr) return std::unexpected(addr.error());
    return connect_addr(*addr);
}

io::Result<void> UnixDatagram::connect_addr(const SocketAddr& addr) const noexcept {
    return sys::uds::connect_fd(as_raw_fd(), addr);
}

io::Result<std::size_t> UnixDatagram::send_to(std::span<const std::byte> data, std::string_view path) const noexcept {
    const auto addr = SocketAddr::from_pathname(path);
    if (!addr) return std::unexpected(addr.error());
    return send_to_addr(data, *addr);
}

io::Result<std::size_t> UnixDatagram::send_to_addr(std::span<const std::byte> data,
                                                   const SocketAddr& target) const noexcept {
    return inner_.do_io([&](int fd) { return sys::uds::send_to(fd, data, target); });
}

io::Result<std::pair<std::size_t, SocketAddr>> UnixDatagram::recv_from(std::span<std::byte> buffer) const noexcept {
    return inner_.do_io([&](int fd) { return sys::uds::recv_from(fd, buffer); });
}

io::Result<std::size_t> UnixDatagram::send(std::span<const std::byte> data) const noexcept {
    return inner_.do_io([&](int fd) { return fd_io::send(fd, data); });
}

io::Result<std::size_t> UnixDatagram::recv(std::span<std::byte> buffer) const noexcept {
    return inner_.do_io([&](int fd) { return fd_io::recv(fd, buffer, 0); });
}

io::Result<std::size_t> UnixDatagram::peek(std::span<std::byte> buffer) const noexcept {
    return inner_.do_io([&](int fd) { return fd_io::recv(fd, buffer, MSG_PEEK); });
}

io::Result<void> UnixDatagram::shutdown(net::Shutdown how) const noexcept { return fd_io::shutdown(as_raw_fd(), how); }

io::Result<SocketAddr> UnixDatagram::local_addr() const noexcept { return sys::uds::local_addr(as_raw_fd()); }

io::Result<SocketAddr> UnixDatagram::peer_addr() const noexcept { return sys::uds::peer_addr(as_raw_fd()); }

io::Result<std::optional<std::error_code>> UnixDatagram::take_error() const noexcept {
    return sys::net::take_error(as_raw_fd());
}

}  // namespace metalio::posix
