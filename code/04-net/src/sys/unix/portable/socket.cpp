#include "metalio/sys/unix/portable/socket.hpp"

#include <sys/socket.h>

#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/set_flags.hpp"

namespace metalio::sys::portable {

io::Result<void> set_socket_flags([[maybe_unused]] int fd) noexcept {
#if !METALIO_HAVE_SOCK_FLAGS
    if (auto set = set_nonblock_cloexec(fd); !set) return set;
#endif
#if !METALIO_HAVE_MSG_NOSIGNAL && METALIO_HAVE_SO_NOSIGPIPE
    const int on = 1;
    if (auto done = METALIO_SYSCALL(setsockopt, fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t{sizeof on}); !done)
        return std::unexpected(done.error());
#endif
    return {};
}

// [socket-impl]
io::Result<OwnedFd> socket(int domain, int type) noexcept {
#if METALIO_HAVE_SOCK_FLAGS
    type |= SOCK_NONBLOCK | SOCK_CLOEXEC;
#endif
    const auto fd = METALIO_SYSCALL(socket, domain, type, 0);
    if (!fd) return std::unexpected(fd.error());
    OwnedFd owned(*fd);  // closed if setting the flags fails
    if (auto set = set_socket_flags(owned.get()); !set) return std::unexpected(set.error());
    return owned;
}
// [socket-impl]

io::Result<OwnedFd> accept(int fd, sockaddr* addr, socklen_t* length) noexcept {
#if METALIO_HAVE_ACCEPT4 && METALIO_HAVE_SOCK_FLAGS
    const auto accepted = METALIO_SYSCALL(accept4, fd, addr, length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (!accepted) return std::unexpected(accepted.error());
    OwnedFd owned(*accepted);
#if !METALIO_HAVE_MSG_NOSIGNAL && METALIO_HAVE_SO_NOSIGPIPE
    if (auto set = set_socket_flags(owned.get()); !set) return std::unexpected(set.error());
#endif
#else
    // A socket made by accept(2) does not inherit O_NONBLOCK on Linux (it
    // does on the BSDs); set both flags either way.
    const auto accepted = METALIO_SYSCALL(accept, fd, addr, length);
    if (!accepted) return std::unexpected(accepted.error());
    OwnedFd owned(*accepted);
    if (auto set = set_nonblock_cloexec(owned.get()); !set) return std::unexpected(set.error());
#if !METALIO_HAVE_MSG_NOSIGNAL && METALIO_HAVE_SO_NOSIGPIPE
    const int on = 1;
    if (auto done = METALIO_SYSCALL(setsockopt, owned.get(), SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t{sizeof on}); !done)
        return std::unexpected(done.error());
#endif
#endif
    return owned;
}

const char* accept_call() noexcept { return METALIO_HAVE_ACCEPT4 && METALIO_HAVE_SOCK_FLAGS ? "accept4" : "accept"; }

}  // namespace metalio::sys::portable
