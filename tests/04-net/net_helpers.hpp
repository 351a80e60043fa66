// Helpers shared by the stage 04 tests (also the Windows ones in windows/): a Registry, waiting for one token's
// event, and a connected pair of streams over 127.0.0.1.
#pragma once

#if !defined(_WIN32)
#include <fcntl.h>
#endif

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "metalio/events.hpp"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/registry.hpp"
#include "metalio_test.hpp"
#include "waitable_registry.hpp"
#include "socket_addrs.hpp"

namespace net_test {

using namespace std::chrono_literals;

using metalio::test::why;

using metalio::test::WaitableRegistry;

inline WaitableRegistry make_registry() { return metalio::test::make_waitable_registry(); }

using metalio::test::localhost_v4;
using metalio::test::localhost_v6;

/// Waits (up to @p timeout) for an event carrying @p token and returns it,
/// or nullopt if none came. Events for other tokens are skipped.
inline std::optional<metalio::Event> wait_for(const WaitableRegistry& registry, metalio::Token token,
                                              std::chrono::milliseconds timeout = 5s) {
    metalio::Events events = metalio::Events::with_capacity(16);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - std::chrono::steady_clock::now());
        const auto polled = registry.selector.select(events, left);
        if (!polled && metalio::io::is_interrupted(polled.error())) continue;
        REQUIRE_MESSAGE(polled.has_value(), "select failed: ", why(polled));
        for (const metalio::Event event : events) {
            if (event.token() == token) return event;
        }
    }
    return std::nullopt;
}

#if !defined(_WIN32)  // Windows cannot ask a socket whether it is non-blocking
inline bool is_nonblocking(int fd) { return (::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0; }
inline bool is_cloexec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }
#endif

/// accept() that waits for the listener's READABLE event when nothing is queued yet.
inline std::pair<metalio::net::TcpStream, metalio::net::SocketAddr> accept_one(
    const WaitableRegistry& registry, const metalio::net::TcpListener& listener, metalio::Token token) {
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto accepted = listener.accept();
        if (accepted) return std::move(*accepted);
        REQUIRE_MESSAGE(metalio::io::is_would_block(accepted.error()), "accept failed: ", why(accepted));
        REQUIRE_MESSAGE(wait_for(registry, token).has_value(), "no connection arrived at the listener within 5 s");
    }
    FAIL("accept kept saying WouldBlock although the listener was readable");
    throw 0;  // not reached: FAIL throws
}

/// Two ends of one TCP connection over 127.0.0.1 (the listener is closed).
struct Connection {
    metalio::net::TcpStream client;
    metalio::net::TcpStream server;
};

/// Connects a client to a fresh listener, waits until the handshake is done
/// (client writable) and returns both ends, registered with @p registry:
/// the client with token 1, the server end with token 2, both for
/// READABLE | WRITABLE.
inline Connection connect_pair(const WaitableRegistry& registry) {
    auto listener = metalio::net::TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    REQUIRE(registry.register_(*listener, metalio::Token{0}, metalio::Interest::READABLE));
    const auto address = listener->local_addr();
    REQUIRE(address.has_value());
    auto client = metalio::net::TcpStream::connect(*address);
    REQUIRE(client.has_value());
    const auto both = metalio::Interest::READABLE | metalio::Interest::WRITABLE;
    REQUIRE(registry.register_(*client, metalio::Token{1}, both));
    const auto writable = wait_for(registry, metalio::Token{1});
    REQUIRE_MESSAGE(writable.has_value(), "the connect did not complete within 5 s");
    REQUIRE(writable->is_writable());
    auto [server, peer] = accept_one(registry, *listener, metalio::Token{0});
    REQUIRE(registry.register_(server, metalio::Token{2}, both));
    REQUIRE(registry.deregister(*listener));
    return Connection{std::move(*client), std::move(server)};
}

/// The bytes of a string, for read/write.
inline std::span<const std::byte> bytes(std::string_view text) { return std::as_bytes(std::span(text)); }

}  // namespace net_test
