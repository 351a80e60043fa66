#include "metalio/posix/unix_listener.hpp"

#include <sys/socket.h>

#include "metalio/sys/unix/net.hpp"
#include "metalio/sys/unix/uds.hpp"

namespace metalio::posix {

io::Result<UnixListener> UnixListener::bind(std::string_view path) noexcept {
    const auto addr = SocketAddr::from_pathname(path);
    if (!addr) return std::unexpected(addr.error());
    return bind_addr(*addr);
}

io::Result<UnixListener> UnixListener::bind_addr(const SocketAddr& addr) noexcept {
    auto socket = sys::uds::bind(SOCK_STREAM, addr);
    if (!socket) return std::unexpected(socket.error());
    return UnixListener(std::move(*socket));
}

UnixListener UnixListener::from_raw_fd(int fd) noexcept { return UnixListener(sys::OwnedFd(fd)); }

io::Result<std::pair<UnixStream, SocketAddr>> UnixListener::accept() const noexcept {
    auto accepted = inner_.do_io([](int fd) { return sys::uds::accept(fd); });
    if (!accepted) return std::unexpected(accepted.error());
    return std::pair{UnixStream(std::move(accepted->first)), accepted->second};
}

io::Result<SocketAddr> UnixListener::local_addr() const noexcept { return sys::uds::local_addr(as_raw_fd()); }

io::Result<std::optional<std::error_code>> UnixListener::take_error() const noexcept {
    return sys::net::take_error(as_raw_fd());
}

}  // namespace metalio::posix
