// Exercise 08 — ask over UDP, and ask again.
//
// UDP may lose the question or the answer, and what arrives may be old. Write
// ask(socket, id, question, retry), the client side of this small protocol:
//
//     request:  the id, 4 bytes, big-endian (network order), then the question
//     answer:   the same 4 bytes of id, then the answer (possibly empty)
//
// The caller has bound the socket and connect()ed it to the server, so
// UdpSocket::send and UdpSocket::recv need no address. Return the answer.
//
//  - Send the request, then wait for the answer with a Poll of your own. No
//    answer `retry.interval` after a send: send the same request again (same
//    id), `retry.attempts` sends in all. When the last one's interval is over
//    without an answer, return std::errc::timed_out. An attempt's interval
//    runs from its send: a datagram that is not the answer neither ends the
//    attempt early nor starts its interval again.
//  - Not every datagram is the answer. A late answer to an earlier request
//    (another id), a second copy of an answer already taken, a datagram too
//    short to hold an id, an empty one: skip them. Several may be queued
//    when you look; chapter 08's datagram rules say how many you can count
//    on one readable event to announce.
//  - An answer may be as long as UDP over IPv4 allows (65,507 bytes with its
//    id) and must come back whole, not cut.
//  - Nobody listens at the server's port: return that error (ECONNREFUSED)
//    as soon as the socket learns it, not timed_out after every attempt.
//    Chapter 08 says how a connected UDP socket hears of it.
//  - Any other error of a send, a receive or a poll: return it (a signal
//    that cuts a poll short is not an error: wait on).
//  - retry.attempts < 1 or a negative interval: std::errc::invalid_argument,
//    with nothing sent.
//  - The socket stays the caller's: afterwards it can call ask() again, or
//    register the socket with its own Poll.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "metalio/io.hpp"
#include "metalio/net/udp_socket.hpp"

namespace metalio::exercise {

/// How patient ask() is.
struct Retry {
    std::chrono::milliseconds interval;  ///< how long one send waits for its answer
    int attempts;                        ///< sends in all, the first one included
};

io::Result<std::string> ask(const net::UdpSocket& socket, std::uint32_t id, std::string_view question, Retry retry);

}  // namespace metalio::exercise
