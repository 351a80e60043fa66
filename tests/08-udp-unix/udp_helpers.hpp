// Helpers shared by the stage 08 tests that run on every platform (the UDP
// ones, also in the Windows build): a Poll, waiting for one token's event,
// loopback addresses, and byte/text conversions. helpers.hpp adds the Unix
// parts.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "metalio/net/udp_socket.hpp"
#include "metalio/poll.hpp"
#include "metalio_test.hpp"
#include "socket_addrs.hpp"

namespace stage08 {

using namespace std::chrono_literals;
using metalio::test::why;

inline metalio::Poll make_poll() {
    auto poll = metalio::Poll::create();
    REQUIRE_MESSAGE(poll.has_value(), "Poll::create failed: ", why(poll));
    return std::move(*poll);
}

/// Polls until an event with @p token comes (returned) or @p timeout passes.
inline std::optional<metalio::Event> wait_for(metalio::Poll& poll, metalio::Token token,
                                              std::chrono::milliseconds timeout = 5s) {
    metalio::Events events = metalio::Events::with_capacity(16);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - std::chrono::steady_clock::now());
        const auto polled = poll.poll(events, left);
        if (!polled && metalio::io::is_interrupted(polled.error())) continue;
        REQUIRE_MESSAGE(polled.has_value(), "poll failed: ", why(polled));
        for (const metalio::Event event : events) {
            if (event.token() == token) return event;
        }
    }
    return std::nullopt;
}

using metalio::test::localhost_v4;
using metalio::test::localhost_v6;

/// A UdpSocket bound to @p where (port 0: the system picks one).
inline metalio::net::UdpSocket bound(const metalio::net::SocketAddr& where = localhost_v4()) {
    auto socket = metalio::net::UdpSocket::bind(where);
    REQUIRE_MESSAGE(socket.has_value(), "bind ", where.to_string(), " failed: ", why(socket));
    return std::move(*socket);
}

/// The address @p socket is bound to.
inline metalio::net::SocketAddr address_of(const metalio::net::UdpSocket& socket) {
    const auto address = socket.local_addr();
    REQUIRE_MESSAGE(address.has_value(), "local_addr failed: ", why(address));
    return *address;
}

inline std::span<const std::byte> bytes(std::string_view text) { return std::as_bytes(std::span(text)); }
inline std::string text(std::span<const std::byte> data) {
    return std::string(reinterpret_cast<const char*>(data.data()), data.size());
}

}  // namespace stage08
