#include "metalio/sys/unix/portable/uds.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/socket.hpp"

namespace metalio::sys::portable {

io::Result<void> socket_pair(int type, int fds[2]) noexcept {
#if METALIO_HAVE_SOCK_FLAGS
    type |= SOCK_NONBLOCK | SOCK_CLOEXEC;
#endif
    if (auto done = METALIO_SYSCALL(socketpair, AF_UNIX, type, 0, fds); !done) return std::unexpected(done.error());
    for (int i = 0; i < 2; ++i) {
        if (auto set = set_socket_flags(fds[i]); !set) {
            ::close(fds[0]);
            ::close(fds[1]);
            fds[0] = fds[1] = -1;
            return set;
        }
    }
    return {};
}

io::Result<PeerIds> peer_ids([[maybe_unused]] int fd) noexcept {
#if METALIO_HAVE_SO_PEERCRED
    ucred credentials{};
    socklen_t length = sizeof credentials;
    if (auto done = METALIO_SYSCALL(getsockopt, fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length); !done) {
        return std::unexpected(done.error());
    }
    return PeerIds{credentials.pid, credentials.uid, credentials.gid};
#elif METALIO_HAVE_GETPEEREID
    uid_t uid = 0;
    gid_t gid = 0;
    if (auto done = METALIO_SYSCALL(getpeereid, fd, &uid, &gid); !done) return std::unexpected(done.error());
    return PeerIds{-1, uid, gid};
#else
    return std::unexpected(std::make_error_code(std::errc::not_supported));
#endif
}

}  // namespace metalio::sys::portable
