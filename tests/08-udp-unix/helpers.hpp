// Helpers shared by the stage 08 tests: a Poll, waiting for one token's
// event, temporary socket paths, and byte/text conversions.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "metalio/net/udp_socket.hpp"
#include "metalio/poll.hpp"
#include "metalio/posix/socket_addr.hpp"
#include "metalio_test.hpp"
#include "temp_dir.hpp"

template <>
struct doctest::StringMaker<metalio::net::SocketAddr> {
    static doctest::String convert(const metalio::net::SocketAddr& addr) { return addr.to_string().c_str(); }
};

template <>
struct doctest::StringMaker<metalio::posix::SocketAddr> {
    static doctest::String convert(const metalio::posix::SocketAddr& addr) { return addr.to_string().c_str(); }
};

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

inline metalio::net::SocketAddr localhost_v4(std::uint16_t port = 0) {
    return metalio::net::SocketAddr::v4({127, 0, 0, 1}, port);
}

inline metalio::net::SocketAddr localhost_v6(std::uint16_t port = 0) {
    std::array<std::uint8_t, 16> ip{};
    ip[15] = 1;
    return metalio::net::SocketAddr::v6(ip, port);
}

inline bool is_nonblocking(int fd) { return (::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0; }
inline bool is_cloexec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

inline std::span<const std::byte> bytes(std::string_view text) { return std::as_bytes(std::span(text)); }
inline std::string text(std::span<const std::byte> data) {
    return std::string(reinterpret_cast<const char*>(data.data()), data.size());
}

using metalio::test::TempDir;

/// A name in the abstract namespace no other test process uses.
inline std::string abstract_name(std::string_view what) {
    return "metalio-test-" + std::to_string(::getpid()) + "-" + std::string(what);
}

}  // namespace stage08
