/// @file
/// The system calls behind the Unix domain socket types (mio's sys/unix/uds/).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <span>
#include <utility>

#include "metalio/io.hpp"
#include "metalio/posix/socket_addr.hpp"
#include "metalio/sys/owned_fd.hpp"

namespace metalio::sys::uds {

/// A non-blocking, close-on-exec `AF_UNIX` socket of @p type bound to
/// @p addr (and listening, if @p type is `SOCK_STREAM`). Introduced in chapter 08.
io::Result<OwnedFd> bind(int type, const posix::SocketAddr& addr) noexcept;
/// A non-blocking, close-on-exec `AF_UNIX` socket of @p type connected to
/// @p addr. Introduced in chapter 08.
io::Result<OwnedFd> connect(int type, const posix::SocketAddr& addr) noexcept;
/// connect(2) of an existing socket to @p addr. Introduced in chapter 08.
io::Result<void> connect_fd(int fd, const posix::SocketAddr& addr) noexcept;
/// Two connected sockets of @p type (socketpair), both non-blocking and
/// close-on-exec. Introduced in chapter 08.
io::Result<std::pair<OwnedFd, OwnedFd>> pair(int type) noexcept;

/// accept(2) (sys::portable::accept): a new non-blocking, close-on-exec connection and its peer's
/// address. Introduced in chapter 08.
io::Result<std::pair<OwnedFd, posix::SocketAddr>> accept(int fd) noexcept;

/// getsockname(2) as a posix::SocketAddr. Introduced in chapter 08.
io::Result<posix::SocketAddr> local_addr(int fd) noexcept;
/// getpeername(2) as a posix::SocketAddr. Introduced in chapter 08.
io::Result<posix::SocketAddr> peer_addr(int fd) noexcept;

/// sendto(2) of one datagram to @p target (without SIGPIPE). Introduced in chapter 08.
io::Result<std::size_t> send_to(int fd, std::span<const std::byte> data, const posix::SocketAddr& target) noexcept;
/// recvfrom(2) of one datagram and its sender. Introduced in chapter 08.
io::Result<std::pair<std::size_t, posix::SocketAddr>> recv_from(int fd, std::span<std::byte> buffer) noexcept;

/// The credentials of the process on the other end (`SO_PEERCRED` on
/// Linux, getpeereid elsewhere). Introduced in chapter 08.
struct PeerCred {
    pid_t pid;  ///< Its process id when it connected (or made the pair); -1 where the system does not say.
    uid_t uid;  ///< Its effective user id.
    gid_t gid;  ///< Its effective group id.
};
/// getsockopt(`SO_PEERCRED`), or getpeereid. Introduced in chapter 08.
io::Result<PeerCred> peer_cred(int fd) noexcept;

}  // namespace metalio::sys::uds
