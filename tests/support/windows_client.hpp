// A blocking client socket for the Windows tests that drive an example
// server as `nc` would (stages 06 and 09): connect to 127.0.0.1, send all of
// a string, receive a number of bytes. The Windows sibling of the plain
// socket calls the Unix echo-server tests make.
#pragma once

#include <winsock2.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include <doctest/doctest.h>

#include "metalio/sys/windows/owned_socket.hpp"
#include "metalio/sys/windows/syscall.hpp"

namespace metalio::test {

/// A blocking client connected to 127.0.0.1:@p port, with a 10 s receive
/// timeout (so a missing answer fails the test instead of hanging it).
inline sys::windows::OwnedSocket connect_to(std::uint16_t port) {
    REQUIRE(sys::windows::init_winsock().has_value());
    sys::windows::OwnedSocket client(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
    REQUIRE(client.get() != INVALID_SOCKET);
    const DWORD ten_seconds = 10000;
    ::setsockopt(client.get(), SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char*>(&ten_seconds), sizeof ten_seconds);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    REQUIRE(::connect(client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    return client;
}

/// Up to @p want bytes from @p socket: fewer only if the peer closed, an
/// error came or the receive timeout passed.
inline std::string receive(SOCKET socket, std::size_t want) {
    std::string got;
    char buffer[4096];
    while (got.size() < want) {
        const int n = ::recv(socket, buffer, static_cast<int>(std::min(sizeof buffer, want - got.size())), 0);
        if (n <= 0) break;
        got.append(buffer, static_cast<std::size_t>(n));
    }
    return got;
}

/// Sends all of @p data (send may take less than asked).
inline void send_all(SOCKET socket, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const int n = ::send(socket, data.data() + sent, static_cast<int>(data.size() - sent), 0);
        REQUIRE(n > 0);
        sent += static_cast<std::size_t>(n);
    }
}

}  // namespace metalio::test
