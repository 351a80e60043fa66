/// @file
/// TcpStream: a non-blocking TCP connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <system_error>

#include "metalio/net/io_socket.hpp"
#include "metalio/net/socket_addr.hpp"
#include "metalio/sys/socket.hpp"
#if defined(_WIN32)
#include "metalio/sys/windows/tcp.hpp"
#else
#include "metalio/sys/unix/tcp.hpp"
#endif

namespace metalio::net {

/// Which half of a connection shutdown() closes: Rust's `std::net::Shutdown`.
/// Introduced in chapter 04 (net).
enum class Shutdown {
    Read,   ///< No more reads: further reads return end-of-file.
    Write,  ///< No more writes: the peer reads end-of-file (a FIN is sent).
    Both,   ///< Both of the above.
};

// [tcp-stream]
/// A non-blocking TCP connection between a local and a remote socket: mio's
/// `net::TcpStream`.
///
/// Made by connect() (the client side) or TcpListener::accept() (the server
/// side). Every read or write either makes progress at once or fails with
/// WouldBlock (io::is_would_block); register the stream and wait for the
/// matching event before trying again. All I/O runs through IoSource::do_io,
/// so the poll(2) selector re-arms the registration after a WouldBlock.
/// Move-only; the socket is closed when the stream is destroyed.
/// Introduced in chapter 04 (net).
class TcpStream : public IoSocket {
public:
    /// Starts connecting to @p addr and returns at once, before the
    /// handshake is done (`EINPROGRESS` counts as success). Register the
    /// stream for WRITABLE; when the event comes, take_error() (or
    /// peer_addr()) says whether the connection was made.
    static io::Result<TcpStream> connect(const SocketAddr& addr) noexcept;

#if defined(_WIN32)
    /// Adopts a connected socket, taking ownership of it. The socket must be
    /// in non-blocking mode, or reads and writes will block the thread.
    static TcpStream from_raw_socket(SOCKET socket) noexcept;
    /// Gives the socket up; the caller must closesocket() it.
    [[nodiscard]] SOCKET into_raw_socket() && noexcept;
#else
    /// Adopts a connected socket, taking ownership of it. The fd must be in
    /// non-blocking mode, or reads and writes will block the thread.
    static TcpStream from_raw_fd(int fd) noexcept;
    /// Gives the socket up; the caller must close it.
    [[nodiscard]] int into_raw_fd() && noexcept;
#endif

    /// Reads into @p buffer; 0 means end-of-file (the peer shut down its
    /// write half), unless @p buffer is empty.
    io::Result<std::size_t> read(std::span<std::byte> buffer) const noexcept;
    /// Reads into several buffers in one call (readv; WSARecv on Windows),
    /// filling them in order.
    io::Result<std::size_t> read_vectored(std::span<const sys::IoSlice> buffers) const noexcept;
    /// Like read(), but the bytes stay queued: the next read returns them again.
    io::Result<std::size_t> peek(std::span<std::byte> buffer) const noexcept;

    /// Writes as much of @p data as fits into the socket buffer and returns
    /// how much that was. If the peer is gone the error is `EPIPE`: the
    /// process never receives SIGPIPE.
    io::Result<std::size_t> write(std::span<const std::byte> data) const noexcept;
    /// write() of the bytes of @p text.
    io::Result<std::size_t> write(std::string_view text) const noexcept;
    /// Writes several buffers in one call, in order (like writev, also
    /// without SIGPIPE; WSASend on Windows).
    io::Result<std::size_t> write_vectored(std::span<const sys::IoSlice> buffers) const noexcept;

    /// Closes one or both halves of the connection (the socket stays open).
    io::Result<void> shutdown(Shutdown how) const noexcept;

    /// Turns Nagle's algorithm off (`TCP_NODELAY`): small writes go out at once.
    io::Result<void> set_nodelay(bool nodelay) const noexcept;
    /// Whether `TCP_NODELAY` is set.
    io::Result<bool> nodelay() const noexcept;

    /// The address of the other end; `ENOTCONN` until the connect completed.
    io::Result<SocketAddr> peer_addr() const noexcept;
    /// The address of this end.
    io::Result<SocketAddr> local_addr() const noexcept;
    /// Reads and clears the pending socket error (`SO_ERROR`), e.g. the
    /// `ECONNREFUSED` of a failed connect; nullopt if there is none.
    io::Result<std::optional<std::error_code>> take_error() const noexcept;

    // as_raw_fd, set_ttl, ttl and the three Source functions: IoSocket.

private:
    friend class TcpListener;  // accept() makes streams from accepted sockets
    explicit TcpStream(sys::OwnedSocket socket) noexcept : IoSocket(std::move(socket)) {}
};
// [tcp-stream]

// [read-write]
// read() and write() are defined here, in the header, and so are the
// sys::tcp::read/write they call on Unix: a call compiles to the system call
// and a test of its result, and the io::Result never crosses a function
// boundary through memory. (On Windows sys::tcp::read/write are out of line:
// winsock's recv/send and their error conversion are not worth inlining.)
inline io::Result<std::size_t> TcpStream::read(std::span<std::byte> buffer) const noexcept {
    return inner_.do_read(buffer.size(), [&](sys::RawSocket socket) { return sys::tcp::read(socket, buffer); });
}

inline io::Result<std::size_t> TcpStream::write(std::span<const std::byte> data) const noexcept {
    return inner_.do_io([&](sys::RawSocket socket) { return sys::tcp::write(socket, data); });
}
// [read-write]

static_assert(Source<TcpStream>);

}  // namespace metalio::net
