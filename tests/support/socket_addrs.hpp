// Socket addresses in tests: the loopback addresses every network test
// binds to, and a doctest printer so that failure messages show addresses
// as text ("127.0.0.1:4242"), not "{?}".
#pragma once

#include <array>
#include <cstdint>

#include "metalio/net/socket_addr.hpp"
#include "metalio_test.hpp"

template <>
struct doctest::StringMaker<metalio::net::SocketAddr> {
    static doctest::String convert(const metalio::net::SocketAddr& addr) { return addr.to_string().c_str(); }
};

namespace metalio::test {

/// 127.0.0.1:@p port (port 0: the system picks one at bind).
inline net::SocketAddr localhost_v4(std::uint16_t port = 0) { return net::SocketAddr::v4({127, 0, 0, 1}, port); }

/// [::1]:@p port.
inline net::SocketAddr localhost_v6(std::uint16_t port = 0) {
    std::array<std::uint8_t, 16> ip{};
    ip[15] = 1;
    return net::SocketAddr::v6(ip, port);
}

}  // namespace metalio::test
