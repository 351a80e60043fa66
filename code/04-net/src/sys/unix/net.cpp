#include "metalio/sys/unix/net.hpp"

#include <sys/socket.h>

#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/socket.hpp"

namespace metalio::sys::net {

// [new-socket-impl]
io::Result<OwnedFd> new_socket(int domain, int type) noexcept {
    // Both flags in socket() itself where the system takes them (Linux,
    // FreeBSD); socket() + fcntl() + SO_NOSIGPIPE where not (macOS):
    // sys/unix/portable/socket.hpp.
    return portable::socket(domain, type);
}
// [new-socket-impl]

io::Result<OwnedFd> new_ip_socket(const metalio::net::SocketAddr& addr, int type) noexcept {
    return new_socket(addr.family(), type);
}

io::Result<void> set_int_option(int fd, int level, int name, int value) noexcept {
    const auto done = METALIO_SYSCALL(setsockopt, fd, level, name, &value, socklen_t{sizeof value});
    if (!done) return std::unexpected(done.error());
    return {};
}

io::Result<int> int_option(int fd, int level, int name) noexcept {
    int value = 0;
    socklen_t length = sizeof value;
    const auto done = METALIO_SYSCALL(getsockopt, fd, level, name, &value, &length);
    if (!done) return std::unexpected(done.error());
    return value;
}

// [take-error]
io::Result<std::optional<std::error_code>> take_error(int fd) noexcept {
    const auto error = int_option(fd, SOL_SOCKET, SO_ERROR);
    if (!error) return std::unexpected(error.error());
    if (*error == 0) return std::optional<std::error_code>{};
    return std::optional<std::error_code>{std::error_code(*error, std::system_category())};
}
// [take-error]

namespace {

template <class Getter>
io::Result<metalio::net::SocketAddr> ask_address(Getter getter) noexcept {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    const auto done = getter(reinterpret_cast<sockaddr*>(&storage), &length);
    if (!done) return std::unexpected(done.error());
    return metalio::net::SocketAddr::from_raw(storage, length);
}

}  // namespace

io::Result<metalio::net::SocketAddr> local_addr(int fd) noexcept {
    return ask_address([fd](sockaddr* addr, socklen_t* length) { return METALIO_SYSCALL(getsockname, fd, addr, length); });
}

io::Result<metalio::net::SocketAddr> peer_addr(int fd) noexcept {
    return ask_address([fd](sockaddr* addr, socklen_t* length) { return METALIO_SYSCALL(getpeername, fd, addr, length); });
}

}  // namespace metalio::sys::net
