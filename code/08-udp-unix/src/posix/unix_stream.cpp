#include "metalio/posix/unix_stream.hpp"

#include <sys/socket.h>

#include "metalio/sys/unix/fd_io.hpp"
#include "metalio/sys/unix/net.hpp"

namespace metalio::posix {

namespace fd_io = sys::fd_io;

// [connect]
io::Result<UnixStream> UnixStream::connect(std::string_view path) noexcept {
    // The path is checked (length, NUL bytes) before any fd exists.
    const auto addr = SocketAddr::from_pathname(path);
    if (!addr) return std::unexpected(addr.error());
    return connect_addr(*addr);
}

io::Result<UnixStream> UnixStream::connect_addr(const SocketAddr& addr) noexcept {
    auto socket = sys::uds::connect(SOCK_STREAM, addr);
    if (!socket) return std::unexpected(socket.error());
    return UnixStream(std::move(*socket));
}
// [connect]

io::Result<std::pair<UnixStream, UnixStream>> UnixStream::pair() noexcept {
    auto fds = sys::uds::pair(SOCK_STREAM);
    if (!fds) return std::unexpected(fds.error());
    return std::pair{UnixStream(std::move(fds->first)), UnixStream(std::move(fds->second))};
}

UnixStream UnixStream::from_raw_fd(int fd) noexcept { return UnixStream(sys::OwnedFd(fd)); }

io::Result<std::size_t> UnixStream::read(std::span<std::byte> buffer) const noexcept {
    return inner_.do_io([&](int fd) { return fd_io::read(fd, buffer); });
}

io::Result<std::size_t> UnixStream::read_vectored(std::span<const iovec> buffers) const noexcept {
    return inner_.do_io([&](int fd) { return fd_io::read_vectored(fd, buffers); });
}

io::Result<std::size_t> UnixStream::write(std::span<const std::byte> data) const noexcept {
    return inner_.do_io([&](int fd) { return fd_io::send(fd, data); });
}

io::Result<std::size_t> UnixStream::write(std::string_view text) const noexcept {
    return write(std::as_bytes(std::span(text.data(), text.size())));
}

io::Result<std::size_t> UnixStream::write_vectored(std::span<const iovec> buffers) const noexcept {
    return inner_.do_io([&](int fd) { return fd_io::send_vectored(fd, buffers); });
}

io::Result<void> UnixStream::shutdown(net::Shutdown how) const noexcept { return fd_io::shutdown(as_raw_fd(), how); }

io::Result<SocketAddr> UnixStream::local_addr() const noexcept { return sys::uds::local_addr(as_raw_fd()); }

io::Result<SocketAddr> UnixStream::peer_addr() const noexcept { return sys::uds::peer_addr(as_raw_fd()); }

io::Result<UCred> UnixStream::peer_cred() const noexcept { return sys::uds::peer_cred(as_raw_fd()); }

io::Result<std::optional<std::error_code>> UnixStream::take_error() const noexcept {
    return sys::net::take_error(as_raw_fd());
}

}  // namespace metalio::posix
