// The fault sweep's Windows-only part: WSAStartup, which a process calls
// once, through the first socket metalio makes. So its case must run in a
// process of its own, before any other socket (CMakeLists.txt runs it
// alone, and leaves it out of the run of all the others).
#include <winsock2.h>

#include "metalio/net/socket_addr.hpp"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/sys/windows/error.hpp"
#include "metalio_test.hpp"
#include "sweep.hpp"

namespace fault = metalio::sys::fault;
using metalio::net::SocketAddr;
using metalio::net::TcpListener;

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
