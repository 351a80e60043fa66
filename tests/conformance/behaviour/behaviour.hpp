// The behaviour suite's shared part: the BEHAVIOUR() macro that every case
// is written with (it adds the open-fd check), and small helpers to make a
// Poll, wait for an event and build a connected pair of TCP streams.
#pragma once

#if !defined(_WIN32)
#include <fcntl.h>
#endif

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metalio/net/tcp_listener.hpp"
#include "metalio/net/tcp_stream.hpp"
#include "io_slice.hpp"
#include "metalio/poll.hpp"
#include "metalio_test.hpp"
#include "socket_addrs.hpp"

// [behaviour-macro]
/// BEHAVIOUR("what it checks") { ... } is a doctest TEST_CASE whose body runs
/// inside a metalio::test::FdLeakCheck: every case of the suite checks that
/// it ends with as many open file descriptors as it started with, and fails
/// with "file descriptors leaked: N open before the test, M after" if not.
/// The check's destructor runs after the body's locals are gone, also when a
/// REQUIRE inside the body failed.
#define METALIO_BEHAVIOUR_IMPL(body, name)            \
    static void body();                               \
    DOCTEST_TEST_CASE(name) {                         \
        const metalio::test::FdLeakCheck no_leak;     \
        body();                                       \
    }                                                 \
    static void body()
#define BEHAVIOUR(name) METALIO_BEHAVIOUR_IMPL(DOCTEST_ANONYMOUS(metalio_behaviour_), name)
// [behaviour-macro]

// A plain TEST_CASE would skip the fd check: in this suite, it does not exist.
#undef TEST_CASE

namespace behaviour {

using namespace std::chrono_literals;
using metalio::Event;
using metalio::Events;
using metalio::Interest;
using metalio::Poll;
using metalio::Token;
using metalio::net::SocketAddr;
using metalio::net::TcpListener;
using metalio::net::TcpStream;
using metalio::test::why;

/// How long a case waits for an event that must come (generous: the machine is busy).
inline constexpr std::chrono::milliseconds kEventWait = 5s;
/// How long a case waits to be sure that an event does NOT come.
inline constexpr std::chrono::milliseconds kQuietWait = 100ms;

inline Poll make_poll() {
    auto poll = Poll::create();
    REQUIRE_MESSAGE(poll.has_value(), "Poll::create failed: ", why(poll));
    return std::move(*poll);
}

/// One poll (retried if a signal interrupts it); the events it returned.
inline std::vector<Event> poll_once(Poll& poll, std::chrono::nanoseconds timeout) {
    Events events = Events::with_capacity(64);
    for (;;) {
        const auto polled = poll.poll(events, timeout);
        if (!polled && metalio::io::is_interrupted(polled.error())) continue;
        REQUIRE_MESSAGE(polled.has_value(), "poll failed: ", why(polled));
        return {events.begin(), events.end()};
    }
}

/// Polls until an event with @p token comes (returned) or @p timeout passes
/// (nullopt). Events for other tokens are skipped.
inline std::optional<Event> wait_for(Poll& poll, Token token, std::chrono::milliseconds timeout = kEventWait) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::nanoseconds::zero()) return std::nullopt;
        for (const Event event : poll_once(poll, left)) {
            if (event.token() == token) return event;
        }
    }
}

/// What the events of one fd said, together. kqueue reports each filter
/// as an event of its own (read and write), epoll and poll(2) one event
/// with all the flags: a consumer that asks "is it write-closed?" must look
/// at every event with the token, which is what this does.
struct Readiness {
    bool readable = false;      ///< some event was readable
    bool writable = false;      ///< some event was writable
    bool read_closed = false;   ///< some event was read-closed
    bool write_closed = false;  ///< some event was write-closed
    bool error = false;         ///< some event was an error
};

/// Polls until events with @p token come, then ORs every event with that
/// token in that poll. nullopt if none comes within @p timeout.
inline std::optional<Readiness> wait_for_all(Poll& poll, Token token, std::chrono::milliseconds timeout = kEventWait) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::nanoseconds::zero()) return std::nullopt;
        std::optional<Readiness> seen;
        for (const Event event : poll_once(poll, left)) {
            if (event.token() != token) continue;
            if (!seen) seen.emplace();
            seen->readable |= event.is_readable();
            seen->writable |= event.is_writable();
            seen->read_closed |= event.is_read_closed();
            seen->write_closed |= event.is_write_closed();
            seen->error |= event.is_error();
        }
        if (seen) return seen;
    }
}

/// How many of @p events carry @p token.
inline std::size_t count_token(const std::vector<Event>& events, Token token) {
    std::size_t count = 0;
    for (const Event event : events) count += event.token() == token ? 1 : 0;
    return count;
}

using metalio::test::localhost_v4;
using metalio::test::localhost_v6;

#if !defined(_WIN32)  // Windows cannot ask a socket whether it is non-blocking
inline bool is_nonblocking(int fd) { return (::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0; }
inline bool is_cloexec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }
#endif

using metalio::test::io_slice;

/// The bytes of a string, for write().
inline std::span<const std::byte> bytes(std::string_view text) { return std::as_bytes(std::span(text)); }

/// @p text with line breaks shown as \\n, for failure messages.
inline std::string printable(std::string_view text) {
    std::string shown;
    for (const char c : text) shown += c == '\n' ? std::string("\\n") : std::string(1, c);
    return shown;
}

/// accept() on @p listener (registered with @p poll under @p token), waiting
/// for its readable event while no connection is queued yet.
inline std::pair<TcpStream, SocketAddr> accept_one(Poll& poll, const TcpListener& listener, Token token) {
    const auto deadline = std::chrono::steady_clock::now() + kEventWait;
    for (;;) {
        auto accepted = listener.accept();
        if (accepted) return std::move(*accepted);
        REQUIRE_MESSAGE(metalio::io::is_would_block(accepted.error()), "accept failed: ", why(accepted));
        const bool in_time = std::chrono::steady_clock::now() < deadline;
        REQUIRE_MESSAGE(in_time, "no connection arrived at the listener within 5 s");
        (void)wait_for(poll, token, 100ms);
    }
}

/// Two ends of one established TCP connection. Neither is registered.
struct Pair {
    TcpStream client;  ///< made by TcpStream::connect
    TcpStream server;  ///< made by TcpListener::accept
};

/// Connects a client to a fresh listener on @p where (port 0) and accepts
/// it. When accept() returns, the handshake is complete on both ends. The
/// listener is closed again; the pair is not registered with any Poll.
inline Pair connected_pair(const SocketAddr& where = localhost_v4()) {
    Poll poll = make_poll();
    auto listener = TcpListener::bind(where);
    REQUIRE_MESSAGE(listener.has_value(), "could not listen on ", where, ": ", why(listener));
    REQUIRE(poll.registry().register_(*listener, Token{0}, Interest::READABLE));
    const auto address = listener->local_addr();
    REQUIRE_MESSAGE(address.has_value(), "local_addr failed: ", why(address));
    auto client = TcpStream::connect(*address);
    REQUIRE_MESSAGE(client.has_value(), "connect failed: ", why(client));
    auto [server, peer] = accept_one(poll, *listener, Token{0});
    REQUIRE(poll.registry().deregister(*listener));
    return Pair{std::move(*client), std::move(server)};
}

/// What draining a stream found: the bytes, whether end-of-file came, and
/// the error that stopped it (empty if it stopped at WouldBlock or end-of-file).
struct Drained {
    std::string data;
    bool eof = false;
    std::error_code error;
};

/// Reads until WouldBlock (or end-of-file, or an error): what a program must
/// do on every readable event, because edge-triggered readiness does not
/// report bytes left unread a second time.
inline Drained drain(const TcpStream& stream) {
    Drained drained;
    std::vector<std::byte> buffer(64 * 1024);
    for (;;) {
        const auto read = stream.read(buffer);
        if (read && *read == 0) {
            drained.eof = true;
            return drained;
        }
        if (read) {
            drained.data.append(reinterpret_cast<const char*>(buffer.data()), *read);
            continue;
        }
        if (metalio::io::is_interrupted(read.error())) continue;
        if (!metalio::io::is_would_block(read.error())) drained.error = read.error();
        return drained;
    }
}

}  // namespace behaviour
