// Tests of exercise 04 (bind_listener). Each message says what to change.
#include <fcntl.h>
#include <sys/socket.h>

#include <chrono>
#include <string>

#include "exercise.hpp"
#include "metalio/events.hpp"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/registry.hpp"
#include "metalio/sys/unix/net.hpp"
#include "metalio_test.hpp"
#include "waitable_registry.hpp"

using metalio::exercise::bind_listener;
using metalio::net::SocketAddr;
namespace fault = metalio::sys::fault;
using namespace std::chrono_literals;

namespace {

using metalio::test::why;

SocketAddr localhost() { return SocketAddr::v4({127, 0, 0, 1}, 0); }

int int_option(int fd, int name) {
    int value = 0;
    socklen_t length = sizeof value;
    REQUIRE(::getsockopt(fd, SOL_SOCKET, name, &value, &length) == 0);
    return value;
}

}  // namespace

TEST_CASE("bind_listener returns a socket bound to the address, on the port the kernel chose") {
    const metalio::test::FdLeakCheck no_leak;
    const auto fd = bind_listener(localhost());
    REQUIRE_MESSAGE(fd.has_value(), "bind_listener(127.0.0.1:0) returned an error: ", why(fd));
    const auto bound = metalio::sys::net::local_addr(fd->get());
    REQUIRE_MESSAGE(bound.has_value(), "the fd is not a bound socket: ", why(bound));
    CHECK_MESSAGE(bound->is_ipv4(), "asked for 127.0.0.1, got ", bound->to_string());
    CHECK_MESSAGE(bound->port() != 0, "the socket is not bound: call bind with addr.to_raw()");
}

TEST_CASE("the socket is non-blocking and close-on-exec") {
    const metalio::test::FdLeakCheck no_leak;
    const auto fd = bind_listener(localhost());
    REQUIRE_MESSAGE(fd.has_value(), "bind_listener returned an error: ", why(fd));
    CHECK_MESSAGE((::fcntl(fd->get(), F_GETFL) & O_NONBLOCK) != 0,
                  "accept() on this socket would block the event loop: add SOCK_NONBLOCK to socket()'s type");
    CHECK_MESSAGE((::fcntl(fd->get(), F_GETFD) & FD_CLOEXEC) != 0,
                  "the socket would leak into programs this process starts: add SOCK_CLOEXEC to socket()'s type");
}

TEST_CASE("SO_REUSEADDR is set") {
    const metalio::test::FdLeakCheck no_leak;
    const auto fd = bind_listener(localhost());
    REQUIRE_MESSAGE(fd.has_value(), "bind_listener returned an error: ", why(fd));
    CHECK_MESSAGE(int_option(fd->get(), SO_REUSEADDR) != 0,
                  "SO_REUSEADDR is off: set it with setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) before bind");
}

TEST_CASE("the socket listens: a client's connection can be accepted") {
    const metalio::test::FdLeakCheck no_leak;
    auto fd = bind_listener(localhost());
    REQUIRE_MESSAGE(fd.has_value(), "bind_listener returned an error: ", why(fd));
    CHECK_MESSAGE(int_option(fd->get(), SO_ACCEPTCONN) != 0, "the socket is not listening: call listen(fd, 1024)");

    const auto registry = metalio::test::make_waitable_registry();
    const auto listener = metalio::net::TcpListener::from_raw_fd(fd->release());
    REQUIRE(registry.register_(listener, metalio::Token{0}, metalio::Interest::READABLE));
    const auto address = listener.local_addr();
    REQUIRE(address.has_value());
    const auto client = metalio::net::TcpStream::connect(*address);
    REQUIRE_MESSAGE(client.has_value(), "could not connect to the socket: ", why(client));
    metalio::Events events = metalio::Events::with_capacity(4);
    REQUIRE(registry.selector.select(events, 5s));
    CHECK_MESSAGE(!events.empty(), "no connection arrived within 5 s: is the socket listening?");
    const auto accepted = listener.accept();
    CHECK_MESSAGE(accepted.has_value(), "accept failed: ", why(accepted));
}

TEST_CASE("an IPv6 address gets an IPv6 socket") {
    const metalio::test::FdLeakCheck no_leak;
    const auto loopback = SocketAddr::parse("[::1]:0");
    REQUIRE(loopback.has_value());
    const auto fd = bind_listener(*loopback);
    if (!fd && fd.error() == std::errc::address_not_available) {
        MESSAGE("SKIPPED: this machine has no IPv6 loopback ::1 (see `ip -6 addr show lo`)");
        return;
    }
    REQUIRE_MESSAGE(fd.has_value(), "bind_listener([::1]:0) failed: ", why(fd),
                    " (create the socket with addr.family(), not AF_INET)");
    const auto bound = metalio::sys::net::local_addr(fd->get());
    REQUIRE(bound.has_value());
    CHECK(bound->is_ipv6());
}

TEST_CASE("an address in use is reported as EADDRINUSE, and the new socket is closed") {
    const metalio::test::FdLeakCheck no_leak;
    const auto first = bind_listener(localhost());
    REQUIRE_MESSAGE(first.has_value(), "bind_listener returned an error: ", why(first));
    const auto taken = metalio::sys::net::local_addr(first->get());
    REQUIRE(taken.has_value());
    const auto second = bind_listener(*taken);
    REQUIRE_MESSAGE(!second.has_value(), "two sockets listen on ", taken->to_string(), ": is bind's error checked?");
    CHECK_MESSAGE(second.error() == std::errc::address_in_use, "expected bind's own error, got ",
                  metalio::test::why(second));
}

TEST_CASE("whichever step fails, its error comes back and the socket is closed") {
    struct Step {
        const char* name;
        int error;
    };
    for (const Step step : {Step{"socket", EMFILE}, Step{"setsockopt", ENOPROTOOPT}, Step{"bind", EACCES},
                            Step{"listen", EOPNOTSUPP}}) {
        const std::string failing_call = step.name;
        CAPTURE(failing_call);
        const metalio::test::FdLeakCheck no_leak;  // checked after each step
        fault::reset();
        fault::fail_next(step.name, step.error);
        const auto fd = bind_listener(localhost());
        fault::reset();
        REQUIRE_MESSAGE(!fd.has_value(), step.name, " was made to fail, but bind_listener reported success: is ",
                        step.name, " called, and through METALIO_SYSCALL?");
        CHECK_MESSAGE(fd.error() == std::error_code(step.error, std::system_category()),
                      "bind_listener must return the failing call's own error, got: ", why(fd));
    }
}
