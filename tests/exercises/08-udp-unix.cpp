// Tests of exercise 08 (draining a datagram socket).
#include <sys/socket.h>
#include <poll.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "exercise.hpp"
#include "metalio/net/udp_socket.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio_test.hpp"

using metalio::exercise::drain_datagrams;
using metalio::sys::OwnedFd;

namespace {

struct Pair {
    OwnedFd sender{-1};
    OwnedFd receiver{-1};
};

// A connected pair of Unix datagram sockets, non-blocking.
Pair datagram_pair() {
    int fds[2];
    REQUIRE(metalio::test::socket_pair(SOCK_DGRAM, fds) == 0);
    return Pair{OwnedFd(fds[0]), OwnedFd(fds[1])};
}

void send(const OwnedFd& fd, const std::string& datagram) {
    REQUIRE(::send(fd.get(), datagram.data(), datagram.size(), 0) == static_cast<ssize_t>(datagram.size()));
}

std::string shown(const std::vector<std::string>& datagrams) {
    std::string text = "[";
    for (const auto& d : datagrams) text += "\"" + d + "\" ";
    return text + "]";
}

}  // namespace

TEST_CASE("every queued datagram is received, whole and in order, even the short ones") {
    const metalio::test::FdLeakCheck no_leak;
    const Pair pair = datagram_pair();
    for (const char* d : {"one", "two", "three"}) send(pair.sender, d);
    std::vector<std::string> out;
    const auto count = drain_datagrams(pair.receiver.get(), 64, out);
    REQUIRE_MESSAGE(count.has_value(), "drain_datagrams failed: ", metalio::test::why(count));
    CHECK_MESSAGE(*count == 3, "three datagrams were queued; a receive shorter than the buffer does not mean "
                  "the queue is empty. Received: ", shown(out));
    CHECK(out == std::vector<std::string>{"one", "two", "three"});
}

TEST_CASE("an empty socket is success with nothing received") {
    const metalio::test::FdLeakCheck no_leak;
    const Pair pair = datagram_pair();
    std::vector<std::string> out;
    const auto count = drain_datagrams(pair.receiver.get(), 64, out);
    REQUIRE_MESSAGE(count.has_value(), "WouldBlock at once means \"nothing queued\", which is not an error: ",
                    metalio::test::why(count));
    CHECK(*count == 0);
    CHECK(out.empty());
}

TEST_CASE("an empty datagram is a datagram, not the end") {
    const metalio::test::FdLeakCheck no_leak;
    const Pair pair = datagram_pair();
    send(pair.sender, "before");
    send(pair.sender, "");
    send(pair.sender, "after");
    std::vector<std::string> out;
    const auto count = drain_datagrams(pair.receiver.get(), 64, out);
    REQUIRE(count.has_value());
    CHECK_MESSAGE((out == std::vector<std::string>{"before", "", "after"}),
                  "a receive of 0 bytes on a datagram socket is an empty datagram; got ", shown(out));
}

TEST_CASE("a datagram longer than max_size is EMSGSIZE, not a cut-off datagram, the next one stays queued") {
    const metalio::test::FdLeakCheck no_leak;
    const Pair pair = datagram_pair();
    send(pair.sender, "ok");
    send(pair.sender, "much too long");
    send(pair.sender, "later");
    std::vector<std::string> out;
    const auto first = drain_datagrams(pair.receiver.get(), 8, out);
    REQUIRE_FALSE_MESSAGE(first.has_value(), "a 13-byte datagram with max_size 8 was accepted; received: ", shown(out));
    CHECK(first.error() == std::errc::message_size);
    CHECK_MESSAGE((out == std::vector<std::string>{"ok"}), "only the datagram before the long one belongs in out; got ",
                  shown(out));
    out.clear();
    const auto second = drain_datagrams(pair.receiver.get(), 8, out);
    REQUIRE(second.has_value());
    CHECK_MESSAGE((out == std::vector<std::string>{"later"}), "the call after the error should get the datagram "
                  "queued behind the long one; got ", shown(out));
}

TEST_CASE("a datagram of exactly max_size bytes is fine") {
    const metalio::test::FdLeakCheck no_leak;
    const Pair pair = datagram_pair();
    send(pair.sender, "12345678");
    std::vector<std::string> out;
    const auto count = drain_datagrams(pair.receiver.get(), 8, out);
    REQUIRE_MESSAGE(count.has_value(), metalio::test::why(count));
    CHECK(out == std::vector<std::string>{"12345678"});
}

TEST_CASE("works on UDP too") {
    const metalio::test::FdLeakCheck no_leak;
    const auto receiver = metalio::net::UdpSocket::bind(metalio::net::SocketAddr::v4({127, 0, 0, 1}, 0));
    const auto sender = metalio::net::UdpSocket::bind(metalio::net::SocketAddr::v4({127, 0, 0, 1}, 0));
    REQUIRE(receiver.has_value());
    REQUIRE(sender.has_value());
    const auto address = receiver->local_addr();
    REQUIRE(address.has_value());
    for (const std::string_view d : {"a", "bb"}) REQUIRE(sender->send_to(std::as_bytes(std::span(d)), *address));
    // Loopback delivers at once, but give the kernel a moment to be sure.
    pollfd entry{receiver->as_raw_fd(), POLLIN, 0};
    REQUIRE(::poll(&entry, 1, 5000) == 1);
    std::vector<std::string> out;
    const auto count = drain_datagrams(receiver->as_raw_fd(), 64, out);
    REQUIRE(count.has_value());
    CHECK(out == std::vector<std::string>{"a", "bb"});
}

TEST_CASE("a bad descriptor comes back as EBADF") {
    const metalio::test::FdLeakCheck no_leak;
    std::vector<std::string> out;
    const auto count = drain_datagrams(-1, 8, out);
    REQUIRE_FALSE(count.has_value());
    CHECK(count.error() == std::errc::bad_file_descriptor);
}
