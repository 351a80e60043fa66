/// @file
/// posix::UnixStream: a non-blocking, connected Unix domain stream socket.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <span>
#include <string_view>
#include <optional>
#include <system_error>
#include <utility>

#include "metalio/io_source_owner.hpp"
#include "metalio/net/tcp_stream.hpp"
#include "metalio/posix/socket_addr.hpp"
#include "metalio/sys/unix/uds.hpp"

namespace metalio::posix {

/// Who is on the other end of a Unix socket: process id, user id, group id
/// (`struct ucred`, from `SO_PEERCRED`). Introduced in chapter 08 (udp-unix).
using UCred = sys::uds::PeerCred;

// [unix-stream]
/// A connected, non-blocking Unix domain stream socket: mio's
/// `net::UnixStream`.
///
/// It reads and writes like net::TcpStream (the same WouldBlock and
/// end-of-file rules; writes never raise SIGPIPE) but connects to a
/// posix::SocketAddr, a path in the file system or an abstract name, and
/// never leaves the machine. Made by connect(), pair() or
/// UnixListener::accept(). Move-only. Introduced in chapter 08 (udp-unix).
class UnixStream : public IoSourceOwner {
public:
    /// Connects to the socket at @p path. `ENOENT` if nothing is there,
    /// `ECONNREFUSED` if nobody listens, `ENAMETOOLONG` if the path does not
    /// fit `sun_path`.
    static io::Result<UnixStream> connect(std::string_view path) noexcept;
    /// Connects to @p addr (a pathname or abstract address).
    static io::Result<UnixStream> connect_addr(const SocketAddr& addr) noexcept;
    /// Two streams connected to each other (socketpair), both unnamed.
    static io::Result<std::pair<UnixStream, UnixStream>> pair() noexcept;
    /// Adopts a connected Unix stream socket, taking ownership. It must be non-blocking.
    static UnixStream from_raw_fd(int fd) noexcept;

    /// Reads into @p buffer; 0 means end-of-file.
    io::Result<std::size_t> read(std::span<std::byte> buffer) const noexcept;
    /// Reads into several buffers in one call (readv).
    io::Result<std::size_t> read_vectored(std::span<const iovec> buffers) const noexcept;
    /// Writes what fits of @p data; `EPIPE` (not SIGPIPE) if the peer is gone.
    io::Result<std::size_t> write(std::span<const std::byte> data) const noexcept;
    /// write() of the bytes of @p text.
    io::Result<std::size_t> write(std::string_view text) const noexcept;
    /// Writes several buffers in one call, without SIGPIPE.
    io::Result<std::size_t> write_vectored(std::span<const iovec> buffers) const noexcept;
    /// Closes one or both halves of the connection.
    io::Result<void> shutdown(net::Shutdown how) const noexcept;

    /// The address of this end (usually unnamed for a client).
    io::Result<SocketAddr> local_addr() const noexcept;
    /// The address of the other end.
    io::Result<SocketAddr> peer_addr() const noexcept;
    /// The credentials of the process at the other end (`SO_PEERCRED`, Linux).
    io::Result<UCred> peer_cred() const noexcept;
    /// Reads and clears the pending socket error (`SO_ERROR`); nullopt if none.
    io::Result<std::optional<std::error_code>> take_error() const noexcept;

private:
    friend class UnixListener;
    explicit UnixStream(sys::OwnedFd fd) noexcept : IoSourceOwner(std::move(fd)) {}
};
// [unix-stream]

static_assert(Source<UnixStream>);

}  // namespace metalio::posix
