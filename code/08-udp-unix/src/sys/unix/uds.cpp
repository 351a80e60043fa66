#include "metalio/sys/unix/uds.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>

#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/send.hpp"
#include "metalio/sys/unix/portable/socket.hpp"
#include "metalio/sys/unix/portable/uds.hpp"
#include "metalio/sys/unix/fd_io.hpp"
#include "metalio/sys/unix/net.hpp"

namespace metalio::sys::uds {

using posix::SocketAddr;

// [bind]
io::Result<OwnedFd> bind(int type, const SocketAddr& addr) noexcept {
    auto socket = net::new_socket(AF_UNIX, type);
    if (!socket) return std::unexpected(socket.error());
    const int fd = socket->get();
    // A pathname that already exists (even a stale socket file of an earlier
    // run) is EADDRINUSE: like mio, metalio never removes files for you.
    if (auto done = METALIO_SYSCALL(bind, fd, addr.raw(), addr.raw_length()); !done) {
        return std::unexpected(done.error());
    }
    if (type == SOCK_STREAM) {
        if (auto done = METALIO_SYSCALL(listen, fd, 1024); !done) {
            // bind() made the socket file; nobody else can be using it yet,
            // so take it away again rather than leave a file that makes the
            // next bind fail with EADDRINUSE.
            if (const auto path = addr.as_pathname()) ::unlink(std::string(*path).c_str());
            return std::unexpected(done.error());
        }
    }
    return std::move(*socket);
}
// [bind]

io::Result<void> connect_fd(int fd, const SocketAddr& addr) noexcept {
    const auto done = METALIO_SYSCALL(connect, fd, addr.raw(), addr.raw_length());
    // A Unix connect completes at once or fails at once (ENOENT for a
    // missing path, ECONNREFUSED when nobody listens, EAGAIN when the
    // listener's queue is full); EINPROGRESS is accepted for symmetry with TCP.
    if (!done && done.error() != std::errc::operation_in_progress) return std::unexpected(done.error());
    return {};
}

io::Result<OwnedFd> connect(int type, const SocketAddr& addr) noexcept {
    auto socket = net::new_socket(AF_UNIX, type);
    if (!socket) return std::unexpected(socket.error());
    if (auto done = connect_fd(socket->get(), addr); !done) return std::unexpected(done.error());
    return std::move(*socket);
}

// [pair]
io::Result<std::pair<OwnedFd, OwnedFd>> pair(int type) noexcept {
    int fds[2] = {-1, -1};
    // Non-blocking and close-on-exec in the call, or right after it where
    // the system cannot say so in the call (sys/unix/portable/uds.hpp).
    if (auto done = portable::socket_pair(type, fds); !done) return std::unexpected(done.error());
    return std::pair{OwnedFd(fds[0]), OwnedFd(fds[1])};
}
// [pair]

io::Result<std::pair<OwnedFd, SocketAddr>> accept(int fd) noexcept {
    sockaddr_un raw{};
    socklen_t length = sizeof raw;
    // accept4, or accept + fcntl (sys/unix/portable/socket.hpp, chapter 04).
    auto accepted = portable::accept(fd, reinterpret_cast<sockaddr*>(&raw), &length);
    if (!accepted) return std::unexpected(accepted.error());
    OwnedFd stream = std::move(*accepted);  // owned before anything else can fail
    // A connecting client is usually unnamed: the kernel then reports only
    // the family, which from_raw reads as an unnamed address.
    if (length < sizeof(sa_family_t)) raw.sun_family = AF_UNIX;
    auto peer = SocketAddr::from_raw(raw, length);
    if (!peer) return std::unexpected(peer.error());
    return std::pair{std::move(stream), *peer};
}

namespace {

template <class Getter>
io::Result<SocketAddr> ask_unix_address(Getter getter) noexcept {
    sockaddr_un raw{};
    socklen_t length = sizeof raw;
    if (auto done = getter(reinterpret_cast<sockaddr*>(&raw), &length); !done) return std::unexpected(done.error());
    if (length < sizeof(sa_family_t)) raw.sun_family = AF_UNIX;
    return SocketAddr::from_raw(raw, length);
}

}  // namespace

io::Result<SocketAddr> local_addr(int fd) noexcept {
    return ask_unix_address([fd](sockaddr* addr, socklen_t* length) { return METALIO_SYSCALL(getsockname, fd, addr, length); });
}

io::Result<SocketAddr> peer_addr(int fd) noexcept {
    return ask_unix_address([fd](sockaddr* addr, socklen_t* length) { return METALIO_SYSCALL(getpeername, fd, addr, length); });
}

io::Result<std::size_t> send_to(int fd, std::span<const std::byte> data, const SocketAddr& target) noexcept {
    return fd_io::to_size(
        portable::send_to(fd, data.data(), data.size(), target.raw(), target.raw_length()));
}

io::Result<std::pair<std::size_t, SocketAddr>> recv_from(int fd, std::span<std::byte> buffer) noexcept {
    sockaddr_un raw{};
    socklen_t length = sizeof raw;
    const auto received =
        METALIO_SYSCALL(recvfrom, fd, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&raw), &length);
    if (!received) return std::unexpected(received.error());
    // From an unbound sender the kernel writes no address at all.
    if (length < sizeof(sa_family_t)) raw.sun_family = AF_UNIX;
    const auto sender = SocketAddr::from_raw(raw, length);
    if (!sender) return std::unexpected(sender.error());
    return std::pair{static_cast<std::size_t>(*received), *sender};
}

io::Result<PeerCred> peer_cred(int fd) noexcept {
    // SO_PEERCRED on Linux, getpeereid elsewhere (sys/unix/portable/uds.hpp).
    const auto ids = portable::peer_ids(fd);
    if (!ids) return std::unexpected(ids.error());
    return PeerCred{ids->pid, ids->uid, ids->gid};
}

}  // namespace metalio::sys::uds
