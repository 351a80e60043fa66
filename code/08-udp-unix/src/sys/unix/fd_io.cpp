#include "metalio/sys/unix/fd_io.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/tcp.hpp"

namespace metalio::sys::fd_io {

// The vectored calls and shutdown are TcpStream's (sys/unix/tcp, chapter
// 04): the same system calls on any stream or datagram descriptor.

io::Result<std::size_t> to_size(io::Result<ssize_t> result) noexcept {
    if (!result) return std::unexpected(result.error());
    return static_cast<std::size_t>(*result);
}

io::Result<std::size_t> read(int fd, std::span<std::byte> buffer) noexcept { return tcp::read(fd, buffer); }

io::Result<std::size_t> read_vectored(int fd, std::span<const iovec> buffers) noexcept {
    return tcp::read_vectored(fd, buffers);
}

io::Result<std::size_t> recv(int fd, std::span<std::byte> buffer, int flags) noexcept {
    return to_size(METALIO_SYSCALL(recv, fd, buffer.data(), buffer.size(), flags));
}

io::Result<std::size_t> send(int fd, std::span<const std::byte> data) noexcept { return tcp::write(fd, data); }

io::Result<std::size_t> send_vectored(int fd, std::span<const iovec> buffers) noexcept {
    return tcp::write_vectored(fd, buffers);
}

io::Result<void> shutdown(int fd, metalio::net::Shutdown how) noexcept { return tcp::shutdown(fd, how); }

}  // namespace metalio::sys::fd_io
