// Stage 01 example, Windows form: failing calls seen through the wrapper.
//
// Run it with `make run CH=01 OS=windows` (under Wine on Linux).
#include <winsock2.h>
#include <windows.h>

#include <cstdio>

#include "metalio/sys/windows/owned_handle.hpp"
#include "metalio/sys/windows/owned_socket.hpp"
#include "metalio/sys/windows/syscall.hpp"

using metalio::sys::windows::OwnedSocket;

int main() {
    // [failing-call]
    // Opening a path that does not exist: CreateFileA returns
    // INVALID_HANDLE_VALUE and GetLastError() says ERROR_FILE_NOT_FOUND.
    const auto missing = METALIO_WINCALL(fails_with_invalid_handle, CreateFileA, "C:\\no\\such\\file", GENERIC_READ,
                                         DWORD{0}, nullptr, DWORD{OPEN_EXISTING}, DWORD{0}, nullptr);
    if (!missing) {
        std::printf("CreateFileA(\"C:\\no\\such\\file\") failed: %s (error %d, category %s)\n",
                    missing.error().message().c_str(), missing.error().value(), missing.error().category().name());
    }
    // [failing-call]

    // [would-block]
    // accept() on a non-blocking listening socket with nobody connecting:
    // WSAEWOULDBLOCK, which io::is_would_block() recognises as it does EAGAIN.
    if (auto started = metalio::sys::windows::init_winsock(); !started) {
        std::printf("WSAStartup failed: %s\n", started.error().message().c_str());
        return 1;
    }
    const auto made = METALIO_WINCALL(fails_with_socket_error, socket, AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (!made) {
        std::printf("socket failed: %s\n", made.error().message().c_str());
        return 1;
    }
    const OwnedSocket listener(*made);
    u_long non_blocking = 1;
    sockaddr_in loopback{};
    loopback.sin_family = AF_INET;
    loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (!METALIO_WINCALL(fails_with_socket_error, ioctlsocket, listener.get(), static_cast<long>(FIONBIO), &non_blocking) ||
        !METALIO_WINCALL(fails_with_socket_error, bind, listener.get(), reinterpret_cast<const sockaddr*>(&loopback),
                         int{sizeof loopback}) ||
        !METALIO_WINCALL(fails_with_socket_error, listen, listener.get(), 1)) {
        std::printf("setting up the listener failed\n");
        return 1;
    }
    const auto accepted = METALIO_WINCALL(fails_with_socket_error, accept, listener.get(), nullptr, nullptr);
    std::printf("accept() with nobody connecting: %s -> is_would_block = %s\n",
                accepted ? "succeeded?!" : accepted.error().message().c_str(),
                !accepted && metalio::io::is_would_block(accepted.error()) ? "true" : "false");
    // [would-block]

    // [success]
    const auto port = METALIO_WINCALL(fails_with_null, CreateIoCompletionPort, INVALID_HANDLE_VALUE, HANDLE{nullptr},
                                      ULONG_PTR{0}, DWORD{0});
    std::printf("CreateIoCompletionPort returned a handle: %s\n", port ? "yes" : port.error().message().c_str());
    if (port) const metalio::sys::windows::OwnedHandle owner(*port);
    // [success]
    return 0;
}
