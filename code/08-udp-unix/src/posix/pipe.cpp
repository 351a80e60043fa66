#include "metalio/posix/pipe.hpp"

#include "metalio/sys/unix/fd_io.hpp"
#include "metalio/sys/unix/pipe.hpp"

namespace metalio::posix {

// [pipe]
io::Result<std::pair<Sender, Receiver>> pipe() noexcept {
    auto fds = sys::pipe::create();
    if (!fds) return std::unexpected(fds.error());
    return std::pair{Sender(std::move(fds->second)), Receiver(std::move(fds->first))};
}
// [pipe]

io::Result<Sender> Sender::from_fd(sys::OwnedFd fd) noexcept {
    // On failure `fd` is closed when this function returns: the caller gave
    // it away, and nobody else could close it.
    if (auto done = sys::pipe::adopt(fd.get()); !done) return std::unexpected(done.error());
    return Sender(std::move(fd));
}

io::Result<std::size_t> Sender::write(std::span<const std::byte> data) const noexcept {
    return inner_.do_io([&](int fd) { return sys::pipe::write(fd, data); });
}

io::Result<std::size_t> Sender::write(std::string_view text) const noexcept {
    return write(std::as_bytes(std::span(text.data(), text.size())));
}

io::Result<std::size_t> Sender::write_vectored(std::span<const iovec> buffers) const noexcept {
    return inner_.do_io([&](int fd) { return sys::pipe::write_vectored(fd, buffers); });
}

io::Result<void> Sender::set_nonblocking(bool nonblocking) const noexcept {
    return sys::pipe::set_nonblocking(as_raw_fd(), nonblocking);
}

io::Result<Receiver> Receiver::from_fd(sys::OwnedFd fd) noexcept {
    if (auto done = sys::pipe::adopt(fd.get()); !done) return std::unexpected(done.error());
    return Receiver(std::move(fd));
}

io::Result<std::size_t> Receiver::read(std::span<std::byte> buffer) const noexcept {
    return inner_.do_io([&](int fd) { return sys::fd_io::read(fd, buffer); });
}

io::Result<std::size_t> Receiver::read_vectored(std::span<const iovec> buffers) const noexcept {
    return inner_.do_io([&](int fd) { return sys::fd_io::read_vectored(fd, buffers); });
}

io::Result<void> Receiver::set_nonblocking(bool nonblocking) const noexcept {
    return sys::pipe::set_nonblocking(as_raw_fd(), nonblocking);
}

}  // namespace metalio::posix
