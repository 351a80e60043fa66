// Stage 10 tests: what every test file needs. io_uring may be missing
// (an old kernel, kernel.io_uring_disabled, a container's seccomp
// profile): then every test that needs a ring says why and passes
// without running, so the suite tells "not here" from "broken".
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "metalio/net/tcp_listener.hpp"
#include "metalio/uring/driver.hpp"
#include "metalio/uring/ring.hpp"
#include "metalio_test.hpp"

namespace uring_test {

/// Why this process cannot have a ring, or nothing if it can (asked once).
inline const std::optional<std::string>& missing() {
    static const std::optional<std::string> reason = []() -> std::optional<std::string> {
        auto ring = metalio::uring::Ring::create(4);
        if (ring) return std::nullopt;
        return ring.error().message();
    }();
    return reason;
}

/// True (after printing the reason) when io_uring is not there: the test
/// returns at once. `if (uring_test::skip()) return;`
/// The line goes to stdout too, where CTest's SKIP_REGULAR_EXPRESSION
/// ("skipped: io_uring", tests/CMakeLists.txt) marks the case as skipped.
inline bool skip() {
    if (!missing()) return false;
    std::printf("skipped: %s\n", missing()->c_str());
    MESSAGE("skipped: ", *missing());
    return true;
}

/// A Driver; the test must have called skip() first.
inline metalio::uring::Driver driver(unsigned entries = 64) {
    auto created = metalio::uring::Driver::create(entries);
    REQUIRE_MESSAGE(created.has_value(), "Driver::create: ", metalio::test::why(created));
    return std::move(*created);
}

/// A listening socket on 127.0.0.1 with a port of the system's choice.
inline metalio::net::TcpListener listener() {
    auto bound = metalio::net::TcpListener::bind(*metalio::net::SocketAddr::parse("127.0.0.1:0"));
    REQUIRE(bound.has_value());
    return std::move(*bound);
}

/// A plain blocking client socket connected to @p server (the listener's
/// backlog completes the handshake before anyone accepts).
inline int connect_to(const metalio::net::TcpListener& server) {
    const auto address = server.local_addr();
    REQUIRE(address.has_value());
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(address->port());
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0);
    return fd;
}

/// Waits (one io_uring_enter at a time) for the next completion.
inline metalio::uring::Completion wait_one(metalio::uring::Driver& driver) {
    for (;;) {
        if (auto completion = driver.next()) return std::move(*completion);
        auto waited = driver.submit_and_wait(1);
        REQUIRE_MESSAGE(waited.has_value(), "submit_and_wait: ", metalio::test::why(waited));
    }
}

/// A Buffer holding @p text.
inline metalio::uring::Buffer buffer_of(std::string_view text) {
    metalio::uring::Buffer buffer(text.size());
    buffer.assign(text);
    return buffer;
}

}  // namespace uring_test
