// A connected pair of non-blocking TCP sockets over 127.0.0.1 for the
// Windows tests: what a pipe is to the Unix tests (Windows cannot poll pipes
// through the AFD driver, only sockets).
#pragma once

#include <winsock2.h>
#include <ws2tcpip.h>

#include <utility>

#include <doctest/doctest.h>

#include "metalio/sys/windows/owned_socket.hpp"
#include "metalio/sys/windows/syscall.hpp"

namespace metalio::test {

/// Two ends of one TCP connection, both non-blocking.
struct SocketPair {
    sys::windows::OwnedSocket a{INVALID_SOCKET};  ///< The connecting end.
    sys::windows::OwnedSocket b{INVALID_SOCKET};  ///< The accepted end.
};

/// A non-blocking TCP socket (not bound yet).
inline sys::windows::OwnedSocket tcp_socket() {
    REQUIRE(sys::windows::init_winsock().has_value());
    const SOCKET made = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    REQUIRE(made != INVALID_SOCKET);
    sys::windows::OwnedSocket owned(made);
    u_long non_blocking = 1;
    REQUIRE(::ioctlsocket(made, FIONBIO, &non_blocking) == 0);
    return owned;
}

/// Connects a pair through a throw-away listener on 127.0.0.1, port 0.
inline SocketPair socket_pair() {
    const sys::windows::OwnedSocket listener = tcp_socket();
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listener.get(), 1) == 0);
    int length = sizeof addr;
    REQUIRE(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &length) == 0);

    SocketPair pair;
    pair.a = tcp_socket();
    const int started = ::connect(pair.a.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    REQUIRE((started == 0 || ::WSAGetLastError() == WSAEWOULDBLOCK));
    // The listener is non-blocking: wait for the connection with select().
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(listener.get(), &readable);
    timeval five_seconds{5, 0};
    REQUIRE(::select(0, &readable, nullptr, nullptr, &five_seconds) == 1);
    const SOCKET accepted = ::accept(listener.get(), nullptr, nullptr);
    REQUIRE(accepted != INVALID_SOCKET);
    pair.b = sys::windows::OwnedSocket(accepted);
    u_long non_blocking = 1;
    REQUIRE(::ioctlsocket(accepted, FIONBIO, &non_blocking) == 0);
    return pair;
}

}  // namespace metalio::test
