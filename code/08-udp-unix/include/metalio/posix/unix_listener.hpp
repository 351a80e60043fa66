/// @file
/// posix::UnixListener: a non-blocking Unix domain socket server.
#pragma once

#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "metalio/io_source_owner.hpp"
#include "metalio/posix/socket_addr.hpp"
#include "metalio/posix/unix_stream.hpp"

namespace metalio::posix {

// [unix-listener]
/// A Unix domain socket that accepts connections: mio's `net::UnixListener`.
///
/// Register it for READABLE and accept() until WouldBlock, as with
/// net::TcpListener. Binding to a pathname creates a socket file there;
/// closing the listener does *not* remove it (nor does mio), so a server
/// that restarts unlinks its old file first, or uses an abstract name,
/// which vanishes with the socket. Move-only. Introduced in chapter 08 (udp-unix).
class UnixListener : public IoSourceOwner {
public:
    /// Listens at @p path. `EADDRINUSE` if the file exists, `ENAMETOOLONG`
    /// if the path does not fit `sun_path`.
    static io::Result<UnixListener> bind(std::string_view path) noexcept;
    /// Listens at @p addr (a pathname or abstract address).
    static io::Result<UnixListener> bind_addr(const SocketAddr& addr) noexcept;
    /// Adopts a listening Unix socket, taking ownership. It must be non-blocking.
    static UnixListener from_raw_fd(int fd) noexcept;

    /// Takes one waiting connection (non-blocking, close-on-exec) and the
    /// client's address (usually unnamed). WouldBlock when none is waiting.
    io::Result<std::pair<UnixStream, SocketAddr>> accept() const noexcept;
    /// The address this listener is bound to.
    io::Result<SocketAddr> local_addr() const noexcept;
    /// Reads and clears the pending socket error (`SO_ERROR`); nullopt if none.
    io::Result<std::optional<std::error_code>> take_error() const noexcept;

private:
    explicit UnixListener(sys::OwnedFd fd) noexcept : IoSourceOwner(std::move(fd)) {}
};
// [unix-listener]

static_assert(Source<UnixListener>);

}  // namespace metalio::posix
