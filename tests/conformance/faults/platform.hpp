// What the sweeps' source files share beyond the sweep itself (sweep.hpp):
// the error each kind of failure is injected with on this platform, and a
// wait for a socket that uses the system's own poll, not metalio.
#pragma once

#if defined(_WIN32)
#include <winsock2.h>
#else
#include <poll.h>

#include <cerrno>
#endif

#include <cstddef>
#include <span>
#include <string_view>

namespace faults {

// The error each kind of failure is injected with: what the system would
// really say in that place (an errno on Unix, a Windows error number there).
#if defined(_WIN32)
constexpr int kNoFds = WSAEMFILE;                   ///< creating a socket, a port, an AFD handle
constexpr int kNoMemory = ERROR_NOT_ENOUGH_MEMORY;  ///< registering (poll requests), options
constexpr int kIoError = ERROR_IO_DEVICE;           ///< reading, writing, waiting, asking a socket
#else
constexpr int kNoFds = EMFILE;     ///< creating an fd (socket, epoll, eventfd, dup)
constexpr int kNoMemory = ENOMEM;  ///< registering (epoll_ctl), options
constexpr int kIoError = EIO;      ///< reading, writing, asking a socket
#endif

// Waits with poll(2) itself (WSAPoll on Windows), not metalio, so that the
// fixtures do not depend on the code under test.
#if defined(_WIN32)
constexpr short kIn = POLLRDNORM;
constexpr short kOut = POLLWRNORM;
template <class Socket>
WSAPOLLFD poll_entry(const Socket& socket, short events) { return {socket.as_raw_socket(), events, 0}; }
inline int poll_sockets(WSAPOLLFD* entries, unsigned long count, int timeout_ms) {
    return ::WSAPoll(entries, count, timeout_ms);
}
#else
constexpr short kIn = POLLIN;
constexpr short kOut = POLLOUT;
template <class Socket>
pollfd poll_entry(const Socket& socket, short events) { return {socket.as_raw_fd(), events, 0}; }
inline int poll_sockets(pollfd* entries, nfds_t count, int timeout_ms) { return ::poll(entries, count, timeout_ms); }
#endif

/// Whether @p socket becomes ready for @p events (kIn, kOut) within 5 s.
template <class Socket>
bool wait_fd(const Socket& socket, short events) {
    auto entry = poll_entry(socket, events);
    return poll_sockets(&entry, 1, 5000) == 1;
}

/// The bytes of @p text, for send and write.
inline std::span<const std::byte> bytes(std::string_view text) { return std::as_bytes(std::span(text)); }

}  // namespace faults
