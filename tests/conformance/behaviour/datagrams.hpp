// The behaviour suite's datagram helpers, shared by the UDP cases (on every
// platform) and the Unix datagram cases: receiving until WouldBlock, and the
// edge-triggered rule of chapter 08 for any connected pair of datagram
// sockets.
#pragma once

#include <array>
#include <cstddef>

#include "behaviour.hpp"

namespace behaviour {

/// Receives (recv) until WouldBlock; how many datagrams came.
template <class Socket>
inline std::size_t drain_datagrams(const Socket& socket) {
    std::array<std::byte, 2048> buffer{};
    std::size_t count = 0;
    for (;;) {
        const auto received = socket.recv(buffer);
        if (received) {
            ++count;
            continue;
        }
        REQUIRE_MESSAGE(metalio::io::is_would_block(received.error()), "recv failed: ", why(received));
        return count;
    }
}

/// The datagram-socket rule of chapter 08 for any pair of connected
/// datagram sockets: one event for many datagrams, no new event while some
/// are left unread, a new one after draining to WouldBlock.
template <class Socket>
inline void check_edge_triggered_datagrams(const Socket& sender, const Socket& receiver) {
    Poll poll = make_poll();
    REQUIRE(poll.registry().register_(receiver, Token{1}, Interest::READABLE));
    for (const char* datagram : {"one", "two", "three"}) REQUIRE(sender.send(bytes(datagram)));
    const auto first = wait_for(poll, Token{1});
    REQUIRE_MESSAGE(first.has_value(), "three datagrams queued but no readable event");
    CHECK(first->is_readable());

    std::array<std::byte, 64> buffer{};
    REQUIRE_MESSAGE(receiver.recv(buffer) == 3u, "the first receive returns exactly the first datagram");
    CHECK_MESSAGE(count_token(poll_once(poll, kQuietWait), Token{1}) == 0,
                  "edge-triggered: two datagrams are still queued but nothing new arrived, so no new event");
    CHECK_MESSAGE(drain_datagrams(receiver) == 2u, "the two datagrams left behind are still queued");

    REQUIRE(sender.send(bytes("four")));
    CHECK_MESSAGE(wait_for(poll, Token{1}).has_value(), "after draining to WouldBlock a new datagram is a new edge");
    CHECK(drain_datagrams(receiver) == 1u);
}

}  // namespace behaviour
