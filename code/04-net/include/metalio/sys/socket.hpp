/// @file
/// The platform's socket headers and the three types the public net headers
/// name: the raw socket, the owner of one, and one buffer of vectored I/O.
#pragma once

// [socket-types]
#if defined(_WIN32)
#include <winsock2.h>
#include <ws2tcpip.h>

#include "metalio/sys/windows/owned_socket.hpp"

namespace metalio::sys {
/// A socket as the system names it: a `SOCKET` (a kernel handle) on Windows.
using RawSocket = SOCKET;
/// The owner that closes a RawSocket: closesocket() on Windows.
using OwnedSocket = windows::OwnedSocket;
/// One buffer of a vectored read or write: `WSABUF` for WSARecv/WSASend
/// (what Rust's `std::io::IoSlice` wraps on Windows).
using IoSlice = WSABUF;
}  // namespace metalio::sys
#else
#include <sys/socket.h>
#include <sys/uio.h>

#include "metalio/sys/owned_fd.hpp"

namespace metalio::sys {
/// A socket as the system names it: a file descriptor on Unix.
using RawSocket = int;
/// The owner that closes a RawSocket: close() on Unix.
using OwnedSocket = OwnedFd;
/// One buffer of a vectored read or write: `iovec` for readv/sendmsg (what
/// Rust's `std::io::IoSlice` wraps on Unix).
using IoSlice = iovec;
}  // namespace metalio::sys
#endif
// [socket-types]
