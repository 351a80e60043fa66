#include "metalio/sys/unix/fd_io.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <climits>

#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/send.hpp"

namespace metalio::sys::fd_io {

namespace {

// More than IOV_MAX buffers is EINVAL; pass the first IOV_MAX and let the
// caller see a short transfer, as a short read or write is always allowed.
int iov_count(std::span<const iovec> buffers) noexcept {
    return static_cast<int>(std::min<std::size_t>(buffers.size(), IOV_MAX));
}

}  // namespace

io::Result<std::size_t> to_size(io::Result<ssize_t> result) noexcept {
    if (!result) return std::unexpected(result.error());
    return static_cast<std::size_t>(*result);
}

io::Result<std::size_t> read(int fd, std::span<std::byte> buffer) noexcept {
    return to_size(METALIO_SYSCALL(read, fd, buffer.data(), buffer.size()));
}

io::Result<std::size_t> read_vectored(int fd, std::span<const iovec> buffers) noexcept {
    return to_size(METALIO_SYSCALL(readv, fd, buffers.data(), iov_count(buffers)));
}

io::Result<std::size_t> recv(int fd, std::span<std::byte> buffer, int flags) noexcept {
    return to_size(METALIO_SYSCALL(recv, fd, buffer.data(), buffer.size(), flags));
}

io::Result<std::size_t> send(int fd, std::span<const std::byte> data) noexcept {
    return to_size(portable::send(fd, data.data(), data.size()));
}

io::Result<std::size_t> send_vectored(int fd, std::span<const iovec> buffers) noexcept {
    msghdr message{};
    message.msg_iov = const_cast<iovec*>(buffers.data());  // sendmsg only reads them
    message.msg_iovlen = static_cast<std::size_t>(iov_count(buffers));
    return to_size(portable::sendmsg(fd, &message));
}

io::Result<void> shutdown(int fd, metalio::net::Shutdown how) noexcept {
    using metalio::net::Shutdown;
    const int mode = how == Shutdown::Read ? SHUT_RD : how == Shutdown::Write ? SHUT_WR : SHUT_RDWR;
    const auto done = METALIO_SYSCALL(shutdown, fd, mode);
    if (!done) return std::unexpected(done.error());
    return {};
}

}  // namespace metalio::sys::fd_io
