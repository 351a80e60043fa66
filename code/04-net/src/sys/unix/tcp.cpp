// TcpListener's and TcpStream's system calls on Unix: the same functions as
// sys/windows/tcp.cpp, over POSIX sockets.
#include "metalio/sys/unix/tcp.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <climits>

#include "metalio/net/tcp_stream.hpp"
#include "metalio/sys/unix/net.hpp"
#include "metalio/sys/unix/portable/send.hpp"
#include "metalio/sys/unix/portable/socket.hpp"

namespace metalio::sys::tcp {

using metalio::net::SocketAddr;

namespace {

// readv/sendmsg take an int count; more than IOV_MAX buffers is EINVAL, so
// pass the first IOV_MAX and let the caller see a short read/write.
int iov_count(std::span<const IoSlice> buffers) noexcept {
    return static_cast<int>(std::min<std::size_t>(buffers.size(), IOV_MAX));
}

io::Result<std::size_t> to_size(io::Result<ssize_t> result) noexcept {
    if (!result) return std::unexpected(result.error());
    return static_cast<std::size_t>(*result);
}

}  // namespace

io::Result<void> set_reuseaddr(int fd) noexcept { return net::set_int_option(fd, SOL_SOCKET, SO_REUSEADDR, 1); }

io::Result<void> bind(int fd, const SocketAddr& addr) noexcept {
    const SocketAddr::Raw raw = addr.to_raw();
    if (auto done = METALIO_SYSCALL(bind, fd, raw.get(), raw.length); !done) return std::unexpected(done.error());
    return {};
}

io::Result<void> listen(int fd, int backlog) noexcept {
    if (auto done = METALIO_SYSCALL(listen, fd, backlog); !done) return std::unexpected(done.error());
    return {};
}

// [connect]
io::Result<void> connect(int fd, const SocketAddr& addr) noexcept {
    const SocketAddr::Raw raw = addr.to_raw();
    const auto started = METALIO_SYSCALL(connect, fd, raw.get(), raw.length);
    // A non-blocking connect almost never finishes at once: EINPROGRESS
    // means "handshake started", which is what the caller asked for.
    if (!started && started.error() != std::errc::operation_in_progress) return std::unexpected(started.error());
    return {};
}
// [connect]

// [accept]
io::Result<std::pair<OwnedFd, SocketAddr>> accept(int fd) noexcept {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    // accept4 gives the new socket its flags atomically, like socket() does
    // (accept + fcntl where there is no accept4: sys/unix/portable/socket.hpp).
    auto accepted = portable::accept(fd, reinterpret_cast<sockaddr*>(&storage), &length);
    if (!accepted) return std::unexpected(accepted.error());
    OwnedFd stream = std::move(*accepted);  // owned from here on
    auto peer = SocketAddr::from_raw(storage, length);
    if (!peer) return std::unexpected(peer.error());
    return std::pair<OwnedFd, SocketAddr>(std::move(stream), *peer);
}
// [accept]

io::Result<std::size_t> peek(int fd, std::span<std::byte> buffer) noexcept {
    return to_size(METALIO_SYSCALL(recv, fd, buffer.data(), buffer.size(), MSG_PEEK));
}

std::size_t vectored_size(std::span<const IoSlice> buffers) noexcept {
    std::size_t size = 0;
    for (const IoSlice& buffer : buffers.first(static_cast<std::size_t>(iov_count(buffers)))) size += buffer.iov_len;
    return size;
}

io::Result<std::size_t> read_vectored(int fd, std::span<const IoSlice> buffers) noexcept {
    return to_size(METALIO_SYSCALL(readv, fd, buffers.data(), iov_count(buffers)));
}

// [write-vectored]
io::Result<std::size_t> write_vectored(int fd, std::span<const IoSlice> buffers) noexcept {
    // writev() has no flags argument, so it could raise SIGPIPE; sendmsg()
    // takes the same iovec array, and portable::sendmsg keeps SIGPIPE away
    // on every Unix (MSG_NOSIGNAL, or SO_NOSIGPIPE on macOS: portable/send.hpp).
    msghdr message{};
    message.msg_iov = const_cast<iovec*>(buffers.data());  // sendmsg only reads them
    message.msg_iovlen = static_cast<std::size_t>(iov_count(buffers));
    return to_size(portable::sendmsg(fd, &message));
}
// [write-vectored]

io::Result<void> shutdown(int fd, metalio::net::Shutdown how) noexcept {
    using metalio::net::Shutdown;
    const int mode = how == Shutdown::Read ? SHUT_RD : how == Shutdown::Write ? SHUT_WR : SHUT_RDWR;
    if (auto done = METALIO_SYSCALL(shutdown, fd, mode); !done) return std::unexpected(done.error());
    return {};
}

}  // namespace metalio::sys::tcp
