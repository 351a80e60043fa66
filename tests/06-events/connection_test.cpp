// Stage 06: the echo server's Connection, driven directly. The point of the
// class is that a short write is not an error: what the socket did not take
// waits for the next writable event.
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "connection.hpp"
#include "metalio/poll.hpp"
#include "metalio_test.hpp"

using namespace std::chrono_literals;
using metalio::Events;
using metalio::Interest;
using metalio::Poll;
using metalio::Token;
using metalio::net::TcpStream;

namespace {

std::string pattern(std::size_t size) {
    std::string data(size, '\0');
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
    return data;
}

// A Connection on one end of a Unix stream pair (the other end is `peer`),
// registered with a Poll of its own.
struct RegisteredPair {
    echo::Connection connection;
    metalio::sys::OwnedFd peer;
    Poll poll;
};

RegisteredPair registered_pair(Interest interests) {
    int pair[2];
    REQUIRE(metalio::test::socket_pair(SOCK_STREAM, pair) == 0);
    echo::Connection connection(TcpStream::from_raw_fd(pair[0]));
    metalio::sys::OwnedFd peer(pair[1]);
    auto poll = Poll::create();
    REQUIRE(poll.has_value());
    REQUIRE(poll->registry().register_(connection.stream(), Token{1}, interests));
    return RegisteredPair{std::move(connection), std::move(peer), std::move(*poll)};
}

}  // namespace

TEST_CASE("4 MiB to a peer that is not reading: partial writes wait for writable, and every byte arrives in order") {
    const metalio::test::FdLeakCheck no_leak;
    auto [connection, peer, poll] = registered_pair(Interest::WRITABLE);

    const std::string sent = pattern(4 << 20);
    connection.queue(sent);
    REQUIRE(connection.flush());
    CHECK_MESSAGE(connection.has_pending(), "4 MiB fit in the socket buffer at once: the test proves nothing");

    std::string received;
    Events events = Events::with_capacity(8);
    char buffer[65536];
    while (received.size() < sent.size()) {
        // The peer reads a little, which makes room: a writable edge follows.
        const ssize_t n = ::read(peer.get(), buffer, sizeof buffer);
        if (n > 0) received.append(buffer, static_cast<std::size_t>(n));
        if (!connection.has_pending()) continue;
        REQUIRE(poll.poll(events, 0ms));
        for (const metalio::Event event : events) {
            if (event.is_writable()) REQUIRE(connection.flush());
        }
    }
    CHECK_FALSE(connection.has_pending());
    const auto differ = std::mismatch(received.begin(), received.end(), sent.begin(), sent.end());
    const bool identical = differ.first == received.end() && differ.second == sent.end();
    CHECK_MESSAGE(identical, "bytes were lost or reordered from byte ", differ.first - received.begin());
}

TEST_CASE("drain reads everything that is there, then reports end-of-file") {
    const metalio::test::FdLeakCheck no_leak;
    int pair[2];
    REQUIRE(metalio::test::socket_pair(SOCK_STREAM, pair) == 0);
    echo::Connection connection(TcpStream::from_raw_fd(pair[0]));
    metalio::sys::OwnedFd peer(pair[1]);

    const std::string sent = pattern(100000);  // more than one read's buffer
    REQUIRE(::write(peer.get(), sent.data(), sent.size()) == static_cast<ssize_t>(sent.size()));
    std::string received;
    const auto open = connection.drain(received);
    REQUIRE(open.has_value());
    CHECK_FALSE(*open);  // still open: stopped at WouldBlock
    CHECK(received == sent);

    peer = metalio::sys::OwnedFd(-1);  // the peer closes
    received.clear();
    const auto closed = connection.drain(received);
    REQUIRE(closed.has_value());
    CHECK(*closed);
    CHECK(received.empty());
}

TEST_CASE("flush returns a real error: writing to a closed peer is a broken pipe, not a crash") {
    const metalio::test::FdLeakCheck no_leak;
    int pair[2];
    REQUIRE(metalio::test::socket_pair(SOCK_STREAM, pair) == 0);
    echo::Connection connection(TcpStream::from_raw_fd(pair[0]));
    ::close(pair[1]);
    connection.queue("Hello world!\n");
    const auto flushed = connection.flush();
    REQUIRE_FALSE(flushed.has_value());
    CHECK(flushed.error() == std::errc::broken_pipe);
}

TEST_CASE("read_until_short stops at a short read, and the next bytes still bring an event (both selectors)") {
    const metalio::test::FdLeakCheck no_leak;
    auto [connection, peer, poll] = registered_pair(Interest::READABLE);
    Events events = Events::with_capacity(8);
    std::string received;

    for (const std::string part : {"first", "second", "third"}) {
        REQUIRE(::write(peer.get(), part.data(), part.size()) == static_cast<ssize_t>(part.size()));
        REQUIRE(poll.poll(events, 5s));
        // Without a re-arm after the short read, the poll(2) selector would
        // never report the second part: this poll would time out empty.
        REQUIRE_MESSAGE(events.size() == 1, "no event for \"", part, "\" after a short read stopped the last one");
        const metalio::Event event = *events.begin();
        const auto closed = connection.read_until_short(received, event.is_read_closed());
        REQUIRE_MESSAGE(closed.has_value(), metalio::test::why(closed));
        CHECK_FALSE(*closed);
    }
    CHECK(received == "firstsecondthird");
}

TEST_CASE("read_until_short reads on to the end-of-file when the close came with the data") {
    const metalio::test::FdLeakCheck no_leak;
    auto [connection, peer, poll] = registered_pair(Interest::READABLE);

    REQUIRE(::write(peer.get(), "last words", 10) == 10);
    REQUIRE(::shutdown(peer.get(), SHUT_WR) == 0);
    Events events = Events::with_capacity(8);
    REQUIRE(poll.poll(events, 5s));
    REQUIRE(events.size() == 1);
    const metalio::Event event = *events.begin();
    REQUIRE(event.is_read_closed());
    std::string received;
    const auto closed = connection.read_until_short(received, event.is_read_closed());
    REQUIRE_MESSAGE(closed.has_value(), metalio::test::why(closed));
    CHECK_MESSAGE(*closed, "stopped at the short read: the end-of-file that came with it would never be seen");
    CHECK(received == "last words");
}
