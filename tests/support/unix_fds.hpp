// Descriptors for tests, made with the calls every Unix has: pipe(),
// socketpair() and socket(), then fcntl() for the flags. Tests need no
// atomic close-on-exec (they fork nothing while they make them), so one
// form serves Linux, macOS and the BSDs alike; the library's own
// one-call forms live in code/*/sys/unix/portable/.
#pragma once

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace metalio::test {

/// Close-on-exec, and non-blocking unless @p nonblocking is false. Returns
/// @p fd, or -1 (and closes it) if fcntl fails.
inline int set_test_flags(int fd, bool nonblocking) {
    if (fd < 0) return fd;
    if (::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 ||
        (nonblocking && ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK) != 0)) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// pipe(2), both ends close-on-exec (and non-blocking unless told): 0 or -1.
inline int pipe(int fds[2], bool nonblocking = true) {
    if (::pipe(fds) != 0) return -1;
    const bool ok = set_test_flags(fds[0], nonblocking) >= 0 && set_test_flags(fds[1], nonblocking) >= 0;
    return ok ? 0 : -1;
}

/// socketpair(2) of `AF_UNIX` sockets of @p type, non-blocking and close-on-exec: 0 or -1.
inline int socket_pair(int type, int fds[2]) {
    if (::socketpair(AF_UNIX, type, 0, fds) != 0) return -1;
    const bool ok = set_test_flags(fds[0], true) >= 0 && set_test_flags(fds[1], true) >= 0;
    return ok ? 0 : -1;
}

/// socket(2), close-on-exec (blocking unless told): the fd or -1.
inline int socket(int domain, int type, bool nonblocking = false) {
    return set_test_flags(::socket(domain, type, 0), nonblocking);
}

}  // namespace metalio::test
#endif
