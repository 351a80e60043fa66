// Stage 04: TcpListener: bind, accept, options, raw fds, failure paths.
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "metalio/net/tcp_listener.hpp"
#include "metalio/sys/unix/portable/socket.hpp"
#include "net_helpers.hpp"

using metalio::Interest;
using metalio::Source;
using metalio::Token;
using metalio::net::SocketAddr;
using metalio::net::TcpListener;
using metalio::net::TcpStream;
using net_test::localhost_v4;
using net_test::localhost_v6;
using net_test::make_registry;
using net_test::wait_for;
namespace fault = metalio::sys::fault;

static_assert(Source<TcpListener>);
static_assert(Source<TcpStream>);
static_assert(!std::is_copy_constructible_v<TcpListener>, "one listener owns its socket");
static_assert(std::is_nothrow_move_constructible_v<TcpListener>);

TEST_CASE("TcpListener::bind on 127.0.0.1 port 0 gets a real port from the kernel") {
    const metalio::test::FdLeakCheck no_leak;
    const auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    const auto address = listener->local_addr();
    REQUIRE(address.has_value());
    CHECK(address->is_ipv4());
    CHECK_MESSAGE(address->port() != 0, "local_addr() should report the port the kernel chose");
    CHECK(*address == localhost_v4(address->port()));
}

TEST_CASE("TcpListener::bind on [::1] port 0 works (IPv6 loopback)") {
    const metalio::test::FdLeakCheck no_leak;
    const auto listener = TcpListener::bind(localhost_v6());
    if (!listener && (listener.error() == std::errc::address_not_available ||
                      listener.error() == std::errc::address_family_not_supported)) {
        // Not a metalio bug: the machine has no IPv6 loopback.
        MESSAGE("SKIPPED: this machine has no IPv6 loopback address ::1 (see `ip -6 addr show lo`): ",
                listener.error().message());
        return;
    }
    REQUIRE(listener.has_value());
    const auto address = listener->local_addr();
    REQUIRE(address.has_value());
    CHECK(address->is_ipv6());
    CHECK(address->port() != 0);
    CHECK(address->to_string() == "[::1]:" + std::to_string(address->port()));

    // And a connection over it arrives.
    const net_test::WaitableRegistry registry = make_registry();
    REQUIRE(registry.register_(*listener, Token{0}, Interest::READABLE));
    const auto client = TcpStream::connect(*address);
    REQUIRE(client.has_value());
    auto [server, peer] = net_test::accept_one(registry, *listener, Token{0});
    CHECK(peer.is_ipv6());
    const auto client_local = client->local_addr();
    REQUIRE(client_local.has_value());
    CHECK(peer == *client_local);
}

TEST_CASE("binding an address that is in use fails with EADDRINUSE and leaks no socket") {
    const metalio::test::FdLeakCheck no_leak;
    const auto first = TcpListener::bind(localhost_v4());
    REQUIRE(first.has_value());
    const auto address = first->local_addr();
    REQUIRE(address.has_value());
    const auto second = TcpListener::bind(*address);
    REQUIRE_MESSAGE(!second.has_value(), "two listeners on one address: SO_REUSEADDR must not allow that");
    CHECK(second.error() == std::errc::address_in_use);
}

TEST_CASE("a listening socket is non-blocking, close-on-exec, has SO_REUSEADDR and is listening") {
    const metalio::test::FdLeakCheck no_leak;
    const auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    const int fd = listener->as_raw_fd();
    CHECK_MESSAGE(net_test::is_nonblocking(fd), "the listener must be O_NONBLOCK (SOCK_NONBLOCK in socket())");
    CHECK_MESSAGE(net_test::is_cloexec(fd), "the listener must be FD_CLOEXEC (SOCK_CLOEXEC in socket())");
    int value = 0;
    socklen_t length = sizeof value;
    REQUIRE(::getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &value, &length) == 0);
    CHECK_MESSAGE(value != 0, "SO_REUSEADDR is not set");
    REQUIRE(::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &value, &length) == 0);
    CHECK_MESSAGE(value != 0, "the socket is not listening");
}

TEST_CASE("the listener is readable when a client connects: accept succeeds once, then WouldBlock") {
    const metalio::test::FdLeakCheck no_leak;
    const net_test::WaitableRegistry registry = make_registry();
    const auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    REQUIRE(registry.register_(*listener, Token{7}, Interest::READABLE));
    const auto address = listener->local_addr();
    REQUIRE(address.has_value());

    const auto nothing_yet = listener->accept();
    REQUIRE_FALSE(nothing_yet.has_value());
    CHECK_MESSAGE(metalio::io::is_would_block(nothing_yet.error()), "accept with no client should be WouldBlock");

    for (int round = 1; round <= 2; ++round) {
        // The second round proves the listener is re-armed after WouldBlock
        // (which matters with the poll(2) selector).
        CAPTURE(round);
        const auto client = TcpStream::connect(*address);
        REQUIRE(client.has_value());
        const auto event = wait_for(registry, Token{7});
        REQUIRE_MESSAGE(event.has_value(), "no READABLE event on the listener within 5 s of a connect");
        CHECK(event->is_readable());

        auto accepted = listener->accept();
        REQUIRE_MESSAGE(accepted.has_value(), "accept after a readable event failed");
        auto& [stream, peer] = *accepted;
        CHECK_MESSAGE(net_test::is_nonblocking(stream.as_raw_fd()), "an accepted stream must be non-blocking");
        CHECK_MESSAGE(net_test::is_cloexec(stream.as_raw_fd()), "an accepted stream must be close-on-exec");
        const auto client_local = client->local_addr();
        REQUIRE(client_local.has_value());
        CHECK_MESSAGE(peer == *client_local, "accept should return the client's address");
        const auto stream_peer = stream.peer_addr();
        REQUIRE(stream_peer.has_value());
        CHECK(*stream_peer == peer);

        const auto next = listener->accept();
        REQUIRE_FALSE(next.has_value());
        CHECK_MESSAGE(metalio::io::is_would_block(next.error()), "only one client connected: the next accept blocks");
    }
    REQUIRE(registry.deregister(*listener));
}

TEST_CASE("TcpListener ttl round-trips and take_error is empty on a healthy listener") {
    const metalio::test::FdLeakCheck no_leak;
    const auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    REQUIRE(listener->set_ttl(42));
    CHECK(listener->ttl() == 42u);
    REQUIRE(listener->set_ttl(100));
    CHECK(listener->ttl() == 100u);
    const auto error = listener->take_error();
    REQUIRE(error.has_value());
    CHECK_FALSE(error->has_value());
}

TEST_CASE("TcpListener into_raw_fd / from_raw_fd hand the same socket over, closed exactly once") {
    const metalio::test::FdLeakCheck no_leak;
    auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    const int fd = listener->as_raw_fd();
    const auto address = listener->local_addr();
    REQUIRE(address.has_value());

    const int raw = std::move(*listener).into_raw_fd();
    CHECK(raw == fd);
    CHECK(listener->as_raw_fd() == -1);
    CHECK_MESSAGE(::fcntl(raw, F_GETFD) != -1, "into_raw_fd must not close the socket");

    const TcpListener adopted = TcpListener::from_raw_fd(raw);
    CHECK(adopted.as_raw_fd() == fd);
    CHECK(adopted.local_addr() == *address);
    // `adopted` closes it; FdLeakCheck sees a double close or a leak.
}

TEST_CASE("fault in any system call of TcpListener::bind returns that error and leaks no socket") {
    const metalio::test::FdLeakCheck no_leak;
    struct Step {
        const char* name;
        int error;
    };
    for (const Step step : {Step{"socket", EMFILE}, Step{"setsockopt", ENOPROTOOPT}, Step{"bind", EACCES},
                            Step{"listen", EOPNOTSUPP}}) {
        const std::string failing_call = step.name;
        CAPTURE(failing_call);
        fault::reset();
        fault::fail_next(step.name, step.error);
        const auto listener = TcpListener::bind(localhost_v4());
        fault::reset();
        REQUIRE_MESSAGE(!listener.has_value(), "bind succeeded although ", step.name, " was made to fail");
        CHECK(listener.error() == std::error_code(step.error, std::system_category()));
    }
}

TEST_CASE("fault in accept4 (accept where there is none) is reported and the listener keeps working") {
    const metalio::test::FdLeakCheck no_leak;
    const net_test::WaitableRegistry registry = make_registry();
    const auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    REQUIRE(registry.register_(*listener, Token{0}, Interest::READABLE));
    const auto address = listener->local_addr();
    REQUIRE(address.has_value());
    const auto client = TcpStream::connect(*address);
    REQUIRE(client.has_value());
    REQUIRE(wait_for(registry, Token{0}).has_value());

    fault::reset();
    fault::fail_next(metalio::sys::portable::accept_call(), ENFILE);
    const auto failed = listener->accept();
    fault::reset();
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error() == std::errc::too_many_files_open_in_system);

    const auto accepted = listener->accept();
    CHECK_MESSAGE(accepted.has_value(), "the connection should still be queued after a failed accept");
}
