/// @file
/// Writes to a socket or a pipe whose reader is gone, without SIGPIPE.
///
/// A write to a connection the peer closed fails with `EPIPE` and also
/// sends SIGPIPE, whose default action ends the process. Three ways out,
/// the first the system has wins (cmake/MetalioPortable.cmake):
/// `MSG_NOSIGNAL` on each send (Linux, FreeBSD); `SO_NOSIGPIPE` set once on
/// the socket (macOS; portable::socket() and accept() set it); or, where
/// there is neither, and for pipes everywhere, without_sigpipe() below.
/// Inline: send() is on the path of every TcpStream::write.
#pragma once

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <cstddef>

#include "metalio/io.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::sys::portable {

// [without-sigpipe]
/// Runs @p write (which returns an io::Result) with SIGPIPE blocked in
/// this thread; if it failed with `EPIPE`, the SIGPIPE it raised is taken
/// off the pending set (sigwait(2), which returns at once because the
/// signal is there) before the old mask comes back. A SIGPIPE that was
/// already pending before is left alone. Only POSIX calls: this works on
/// every Unix. Introduced in chapter 04 (net).
template <class Write>
auto without_sigpipe(Write write) noexcept {
    sigset_t sigpipe_only;  // (sigemptyset & co. without ::, since macOS makes them macros)
    sigemptyset(&sigpipe_only);
    sigaddset(&sigpipe_only, SIGPIPE);
    sigset_t pending;
    ::sigpending(&pending);
    const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
    sigset_t previous;
    ::pthread_sigmask(SIG_BLOCK, &sigpipe_only, &previous);

    auto result = write();

    if (!result && result.error() == std::errc::broken_pipe && !was_pending) {
        ::sigpending(&pending);
        if (sigismember(&pending, SIGPIPE) == 1) {
            int taken = 0;
            (void)::sigwait(&sigpipe_only, &taken);
        }
    }
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return result;
}
// [without-sigpipe]

// [send]
/// send(2) of @p size bytes, never raising SIGPIPE. Introduced in chapter 04 (net).
inline io::Result<ssize_t> send(int fd, const void* data, std::size_t size) noexcept {
#if METALIO_HAVE_MSG_NOSIGNAL
    return METALIO_SYSCALL(send, fd, data, size, MSG_NOSIGNAL);
#elif METALIO_HAVE_SO_NOSIGPIPE
    return METALIO_SYSCALL(send, fd, data, size, 0);  // the socket has SO_NOSIGPIPE
#else
    return without_sigpipe([&] { return METALIO_SYSCALL(send, fd, data, size, 0); });
#endif
}
// [send]

/// sendmsg(2) (writev has no flags), never raising SIGPIPE. Introduced in chapter 04 (net).
inline io::Result<ssize_t> sendmsg(int fd, const msghdr* message) noexcept {
#if METALIO_HAVE_MSG_NOSIGNAL
    return METALIO_SYSCALL(sendmsg, fd, message, MSG_NOSIGNAL);
#elif METALIO_HAVE_SO_NOSIGPIPE
    return METALIO_SYSCALL(sendmsg, fd, message, 0);
#else
    return without_sigpipe([&] { return METALIO_SYSCALL(sendmsg, fd, message, 0); });
#endif
}

/// sendto(2) of one datagram to @p target, never raising SIGPIPE.
/// Introduced in chapter 04 (net).
inline io::Result<ssize_t> send_to(int fd, const void* data, std::size_t size, const sockaddr* target,
                                   socklen_t target_length) noexcept {
#if METALIO_HAVE_MSG_NOSIGNAL
    return METALIO_SYSCALL(sendto, fd, data, size, MSG_NOSIGNAL, target, target_length);
#elif METALIO_HAVE_SO_NOSIGPIPE
    return METALIO_SYSCALL(sendto, fd, data, size, 0, target, target_length);
#else
    return without_sigpipe([&] { return METALIO_SYSCALL(sendto, fd, data, size, 0, target, target_length); });
#endif
}

}  // namespace metalio::sys::portable
