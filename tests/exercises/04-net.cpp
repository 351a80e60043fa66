// Tests of exercise 04 (connect_within: a connect that is really done).
// Each message says what to change.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

#include "exercise.hpp"
#include "metalio/events.hpp"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/registry.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/sys/selector.hpp"
#include "metalio_test.hpp"

using namespace std::chrono_literals;
using metalio::Interest;
using metalio::Token;
using metalio::exercise::connect_within;
using metalio::net::SocketAddr;
using metalio::net::TcpListener;
using metalio::sys::OwnedFd;

namespace {

SocketAddr loopback(std::uint16_t port = 0) {
    auto addr = SocketAddr::parse("127.0.0.1:" + std::to_string(port));
    REQUIRE(addr.has_value());
    return *addr;
}

// A port on which nobody listens: bound by a listener that is then closed.
SocketAddr closed_port() {
    auto listener = TcpListener::bind(loopback());
    REQUIRE(listener.has_value());
    auto addr = listener->local_addr();
    REQUIRE(addr.has_value());
    return *addr;
}

}  // namespace

TEST_CASE("a connect to a listening server returns a connected stream") {
    const metalio::test::FdLeakCheck no_leak;
    auto listener = TcpListener::bind(loopback());
    REQUIRE(listener.has_value());
    const auto addr = listener->local_addr();
    REQUIRE(addr.has_value());
    auto stream = connect_within(*addr, 5s);
    REQUIRE_MESSAGE(stream.has_value(), "connect_within() failed: ", metalio::test::why(stream),
                    ". (A server that says nothing never makes the stream readable: which interest reports the "
                    "end of a connect?)");
    const auto peer = stream->peer_addr();
    REQUIRE_MESSAGE(peer.has_value(), "the stream returned is not connected: ", metalio::test::why(peer));
    CHECK(peer->port() == addr->port());
}

TEST_CASE("a refused connect is that error, not a stream") {
    const metalio::test::FdLeakCheck no_leak;
    const auto addr = closed_port();
    const auto stream = connect_within(addr, 5s);
    REQUIRE_MESSAGE(!stream.has_value(), "nobody listens on port ", addr.port(), ", yet connect_within() returned a "
                    "stream: a refused connect is reported as an event too; ask the stream (take_error, "
                    "peer_addr) whether the handshake succeeded");
    CHECK_MESSAGE(stream.error() == std::errc::connection_refused,
                  "the connect was refused; return that error (ECONNREFUSED), got: ", metalio::test::why(stream));
}

TEST_CASE("the stream returned can be registered with the caller's own selector") {
    const metalio::test::FdLeakCheck no_leak;
    auto listener = TcpListener::bind(loopback());
    REQUIRE(listener.has_value());
    const auto addr = listener->local_addr();
    REQUIRE(addr.has_value());
    auto stream = connect_within(*addr, 5s);
    REQUIRE_MESSAGE(stream.has_value(), "connect_within() failed: ", metalio::test::why(stream));
    auto selector = metalio::sys::Selector::create();
    REQUIRE(selector.has_value());
    const metalio::Registry mine(std::move(*selector));
    const auto registered = mine.register_(*stream, Token{7}, Interest::READABLE);
    CHECK_MESSAGE(registered.has_value(), "registering the returned stream with another selector failed (",
                  metalio::test::why(registered), "): a stream remembers the selector it is registered with "
                  "(chapter 03); deregister it from yours before returning it");
    if (registered.has_value()) (void)mine.deregister(*stream);
}

TEST_CASE("a connect that does not finish in time is timed_out") {
    const metalio::test::FdLeakCheck no_leak;
    // A listener whose accept queue is full: Linux drops further SYNs (and
    // the client would retry only after a second), so the next connect
    // stays unfinished. listen(0) holds one connection; two fill it.
    OwnedFd full(::socket(AF_INET, SOCK_STREAM, 0));  // no SOCK_CLOEXEC: macOS lacks it, and this test starts no program
    REQUIRE(full.get() >= 0);
    const auto any = loopback().to_raw();
    REQUIRE(::bind(full.get(), any.get(), any.length) == 0);
    REQUIRE(::listen(full.get(), 0) == 0);
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    REQUIRE(::getsockname(full.get(), reinterpret_cast<sockaddr*>(&bound), &length) == 0);
    const auto addr = SocketAddr::from_raw(bound, length);
    REQUIRE(addr.has_value());
    std::vector<metalio::net::TcpStream> fillers;
    for (int i = 0; i < 2; ++i) {
        auto filler = metalio::net::TcpStream::connect(*addr);
        REQUIRE(filler.has_value());
        fillers.push_back(std::move(*filler));
    }
    // Let the first handshake finish, so that the queue really is full.
    pollfd first{fillers.front().as_raw_fd(), POLLOUT, 0};
    REQUIRE(::poll(&first, 1, 5000) == 1);

    const auto started = std::chrono::steady_clock::now();
    const auto stream = connect_within(*addr, 200ms);
    const auto waited = std::chrono::steady_clock::now() - started;
    REQUIRE_MESSAGE(!stream.has_value(), "the server could not take the connection, yet connect_within() "
                    "returned a stream");
    CHECK_MESSAGE(stream.error() == std::errc::timed_out, "no event came within the timeout: return "
                  "std::errc::timed_out, got: ", metalio::test::why(stream));
    CHECK_MESSAGE(waited >= 200ms, "connect_within() gave up before its timeout had passed");
}
