// The fault sweep's Windows-only part: the proof that its handle count can
// fail, and WSAStartup, which a process calls once, through the first
// socket metalio makes. So that case must run in a process of its own,
// before any other socket (CMakeLists.txt runs it alone, and leaves it out
// of the run of all the others).
#include <winsock2.h>

#include "metalio/net/socket_addr.hpp"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/poll.hpp"
#include "metalio/sys/windows/error.hpp"
#include "metalio_test.hpp"
#include "sweep.hpp"

namespace fault = metalio::sys::fault;
using metalio::net::SocketAddr;
using metalio::net::TcpListener;

// Under Wine the count probes the handle table (GetProcessHandleCount says
// 0): a leak of any of the three kinds the sweeps create must show in it,
// or every "leaks nothing" above would pass without meaning anything.
TEST_CASE("the handle count sees each kind of handle the sweeps open: socket, completion port, AFD handle") {
    using metalio::test::open_fd_count;
    const metalio::test::FdLeakCheck no_leak;
    const std::size_t at_start = open_fd_count();
    auto listener = TcpListener::bind(SocketAddr::v4({127, 0, 0, 1}, 0));
    REQUIRE(listener.has_value());
    const std::size_t with_socket = open_fd_count();
    CHECK_MESSAGE(with_socket > at_start, "a new socket did not raise the handle count (", at_start, ")");
    auto poll = metalio::Poll::create();
    REQUIRE(poll.has_value());
    const std::size_t with_port = open_fd_count();
    CHECK_MESSAGE(with_port > with_socket, "a new completion port did not raise the handle count (", with_socket, ")");
    REQUIRE(poll->registry().register_(*listener, metalio::Token{1}, metalio::Interest::READABLE).has_value());
    const std::size_t with_afd = open_fd_count();
    CHECK_MESSAGE(with_afd > with_port, "the first registration's \\Device\\Afd handle did not raise the "
                  "handle count (", with_port, ")");
    REQUIRE(poll->registry().deregister(*listener).has_value());
}

TEST_CASE("WSAStartup: a failing start is reported by the first socket, leaks nothing, and the next socket starts winsock") {
    // (FdLeakCheck starts winsock on its own, with a WSAStartup of its own,
    // so that its first count includes winsock's handles; metalio's start
    // is still to come.)
    const metalio::test::FdLeakCheck no_leak;
    const std::size_t before = metalio::test::open_fd_count();
    fault::reset();
    fault::fail_next("WSAStartup", WSASYSNOTREADY);
    const auto failed = TcpListener::bind(SocketAddr::v4({127, 0, 0, 1}, 0));
    const std::string fired(fault::fired());
    fault::reset();
    REQUIRE_MESSAGE(fired == "WSAStartup",
                    "the first socket of the process did not start winsock through the wrapper: this case must "
                    "run in a process of its own, before any other socket");
    REQUIRE_MESSAGE(!failed.has_value(), "TcpListener::bind succeeded although WSAStartup failed");
    CHECK_MESSAGE(failed.error() == faults::injected(WSASYSNOTREADY), "the caller should see WSAStartup's error, not: ",
                  failed.error().message());
    CHECK_MESSAGE(metalio::test::open_fd_count() == before, "the failed start left a handle open");
    ++faults::tally().failed_calls[fired];
    ++faults::tally().total;
    faults::tally().rows.push_back(faults::Row{"WSAStartup (the first socket of a process)", 1});

    // Not remembered: the next socket starts winsock and works.
    const auto retried = TcpListener::bind(SocketAddr::v4({127, 0, 0, 1}, 0));
    CHECK_MESSAGE(retried.has_value(), "after a failed WSAStartup the next socket should try again, but: ",
                  metalio::test::why(retried));

    // Started once: a later socket makes no WSAStartup (the armed fault stays unfired).
    fault::fail_next("WSAStartup", WSASYSNOTREADY);
    const auto later = TcpListener::bind(SocketAddr::v4({127, 0, 0, 1}, 0));
    CHECK_MESSAGE(fault::fired().empty(), "winsock was started again after it had started");
    fault::reset();
    CHECK(later.has_value());
}
