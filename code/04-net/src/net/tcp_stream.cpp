#include "metalio/net/tcp_stream.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <climits>

#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/net.hpp"

namespace metalio::net {

namespace unix_net = sys::net;

namespace {

// readv/sendmsg take an int count; more than IOV_MAX buffers is EINVAL, so
// pass the first IOV_MAX and let the caller see a short read/write.
int iov_count(std::span<const sys::IoSlice> buffers) noexcept {
    return static_cast<int>(std::min<std::size_t>(buffers.size(), IOV_MAX));
}

io::Result<std::size_t> to_size(io::Result<ssize_t> result) noexcept {
    if (!result) return std::unexpected(result.error());
    return static_cast<std::size_t>(*result);
}

}  // namespace

// [connect]
io::Result<TcpStream> TcpStream::connect(const SocketAddr& addr) noexcept {
    auto socket = unix_net::new_ip_socket(addr, SOCK_STREAM);
    if (!socket) return std::unexpected(socket.error());
    TcpStream stream(std::move(*socket));  // closes the socket on the error path below
    const SocketAddr::Raw raw = addr.to_raw();
    const auto started = METALIO_SYSCALL(connect, stream.as_raw_fd(), raw.get(), raw.length);
    // A non-blocking connect almost never finishes at once: EINPROGRESS
    // means "handshake started", which is what this function promises.
    if (!started && started.error() != std::errc::operation_in_progress) return std::unexpected(started.error());
    return stream;
}
// [connect]

TcpStream TcpStream::from_raw_fd(int fd) noexcept { return TcpStream(sys::OwnedFd(fd)); }

int TcpStream::into_raw_fd() && noexcept { return std::move(inner_).into_fd().release(); }

// read() and write(std::span) are defined inline in the header (hot path).

io::Result<std::size_t> TcpStream::write(std::string_view text) const noexcept {
    return write(std::as_bytes(std::span(text.data(), text.size())));
}

io::Result<std::size_t> TcpStream::peek(std::span<std::byte> buffer) const noexcept {
    return to_size(
        inner_.do_io([&](int fd) { return METALIO_SYSCALL(recv, fd, buffer.data(), buffer.size(), MSG_PEEK); }));
}

io::Result<std::size_t> TcpStream::read_vectored(std::span<const sys::IoSlice> buffers) const noexcept {
    std::size_t asked = 0;
    for (const sys::IoSlice& buffer : buffers.first(static_cast<std::size_t>(iov_count(buffers)))) asked += buffer.iov_len;
    return to_size(
        inner_.do_read(asked, [&](int fd) { return METALIO_SYSCALL(readv, fd, buffers.data(), iov_count(buffers)); }));
}

// [write-vectored]
io::Result<std::size_t> TcpStream::write_vectored(std::span<const sys::IoSlice> buffers) const noexcept {
    // writev() has no flags argument, so it could raise SIGPIPE; sendmsg()
    // takes the same iovec array and MSG_NOSIGNAL.
    msghdr message{};
    message.msg_iov = const_cast<iovec*>(buffers.data());  // sendmsg only reads them
    message.msg_iovlen = static_cast<std::size_t>(iov_count(buffers));
    return to_size(inner_.do_io([&](int fd) { return METALIO_SYSCALL(sendmsg, fd, &message, MSG_NOSIGNAL); }));
}
// [write-vectored]

io::Result<void> TcpStream::shutdown(Shutdown how) const noexcept {
    const int mode = how == Shutdown::Read ? SHUT_RD : how == Shutdown::Write ? SHUT_WR : SHUT_RDWR;
    const auto done = METALIO_SYSCALL(shutdown, as_raw_fd(), mode);
    if (!done) return std::unexpected(done.error());
    return {};
}

io::Result<void> TcpStream::set_nodelay(bool nodelay) const noexcept {
    return unix_net::set_int_option(as_raw_fd(), IPPROTO_TCP, TCP_NODELAY, nodelay ? 1 : 0);
}

io::Result<bool> TcpStream::nodelay() const noexcept {
    const auto value = unix_net::int_option(as_raw_fd(), IPPROTO_TCP, TCP_NODELAY);
    if (!value) return std::unexpected(value.error());
    return *value != 0;
}

io::Result<SocketAddr> TcpStream::peer_addr() const noexcept { return unix_net::peer_addr(as_raw_fd()); }

io::Result<SocketAddr> TcpStream::local_addr() const noexcept { return unix_net::local_addr(as_raw_fd()); }

io::Result<std::optional<std::error_code>> TcpStream::take_error() const noexcept {
    return unix_net::take_error(as_raw_fd());
}

}  // namespace metalio::net
