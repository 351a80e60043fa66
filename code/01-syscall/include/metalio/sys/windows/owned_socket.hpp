/// @file
/// OwnedSocket: a winsock SOCKET with exactly one owner (Windows only).
#pragma once

#include <winsock2.h>

#include <utility>

#include "metalio/io.hpp"

namespace metalio::sys::windows {

// [owned-socket]
/// Owns one winsock socket and closes it with closesocket() when destroyed.
///
/// A SOCKET is not a file descriptor: it is a kernel handle (a 64-bit
/// number on Win64) that must be closed with closesocket(), not CloseHandle(),
/// so that winsock can release its own state too. Move-only; a moved-from
/// OwnedSocket holds `INVALID_SOCKET` and closes nothing.
/// Introduced in chapter 01 (syscall).
class OwnedSocket {
public:
    /// Takes ownership of @p socket (which may be `INVALID_SOCKET`, meaning "nothing").
    explicit OwnedSocket(SOCKET socket) noexcept : socket_(socket) {}
    /// Takes the socket of @p other, which is left holding `INVALID_SOCKET`.
    OwnedSocket(OwnedSocket&& other) noexcept : socket_(std::exchange(other.socket_, INVALID_SOCKET)) {}
    /// Closes the socket held now, then takes the one of @p other.
    OwnedSocket& operator=(OwnedSocket&& other) noexcept {
        if (this != &other) reset(std::exchange(other.socket_, INVALID_SOCKET));
        return *this;
    }
    OwnedSocket(const OwnedSocket&) = delete;
    OwnedSocket& operator=(const OwnedSocket&) = delete;
    ~OwnedSocket() { reset(INVALID_SOCKET); }

    /// The socket, still owned by this object.
    [[nodiscard]] SOCKET get() const noexcept { return socket_; }
    /// Gives up ownership: the caller must close the returned socket.
    [[nodiscard]] SOCKET release() noexcept { return std::exchange(socket_, INVALID_SOCKET); }

private:
    void reset(SOCKET socket) noexcept {
        if (socket_ != INVALID_SOCKET) ::closesocket(socket_);
        socket_ = socket;
    }

    SOCKET socket_;
};
// [owned-socket]

// [winsock-init]
/// Makes sure winsock is initialised (WSAStartup 2.2) before the first
/// socket call: the first call does it; once it succeeded, later calls do
/// nothing, and after a failure the next call tries again. Winsock stays
/// initialised until the process ends, as in
/// Rust's std, which mio uses: a WSACleanup at exit would race with sockets
/// other static objects still close. Introduced in chapter 01 (syscall).
io::Result<void> init_winsock() noexcept;
// [winsock-init]

}  // namespace metalio::sys::windows
