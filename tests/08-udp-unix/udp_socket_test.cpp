// Stage 08: net::UdpSocket: datagrams, connect, options, multicast, bad input.
// Portable: the Windows build runs this file too (tests/CMakeLists.txt), so
// the few answers that differ on winsock are said where they are checked;
// windows/udp_socket_test.cpp has the Windows-only promises.
#include <array>
#include <string>
#include <vector>

#if defined(_WIN32)
#include <winsock2.h>
#else
#include "helpers.hpp"
#endif
#include "selector_facts.hpp"
#include "udp_helpers.hpp"

using metalio::Interest;
using metalio::Token;
using metalio::net::SocketAddr;
using metalio::net::UdpSocket;
using namespace stage08;
namespace fault = metalio::sys::fault;

namespace {

/// Receives one datagram, waiting for READABLE (token 1) while none is queued.
std::pair<std::string, SocketAddr> receive(metalio::Poll& poll, const UdpSocket& socket) {
    std::array<std::byte, 2048> buffer{};
    for (int attempt = 0; attempt < 50; ++attempt) {
        const auto received = socket.recv_from(buffer);
        if (received) return {text(std::span(buffer).first(received->first)), received->second};
        REQUIRE_MESSAGE(metalio::io::is_would_block(received.error()), "recv_from failed: ", why(received));
        REQUIRE_MESSAGE(wait_for(poll, Token{1}).has_value(), "no datagram arrived within 5 s");
    }
    FAIL("recv_from kept saying WouldBlock after READABLE events");
    throw 0;
}

}  // namespace

static_assert(!std::is_copy_constructible_v<UdpSocket>, "one socket owns its fd");
static_assert(std::is_nothrow_move_constructible_v<UdpSocket>);

TEST_CASE("bind gives a non-blocking, close-on-exec socket on the chosen port, IPv4 and IPv6") {
    const metalio::test::FdLeakCheck no_leak;
    for (const SocketAddr& where : {localhost_v4(), localhost_v6()}) {
        const UdpSocket socket = bound(where);
#if defined(_WIN32)
        // Windows cannot be asked whether a socket is non-blocking (the
        // WouldBlock case below shows it); "close-on-exec" is "not inherited".
        DWORD flags = 0;
        REQUIRE(::GetHandleInformation(reinterpret_cast<HANDLE>(socket.as_raw_socket()), &flags));
        CHECK((flags & HANDLE_FLAG_INHERIT) == 0);
#else
        CHECK(is_nonblocking(socket.as_raw_fd()));
        CHECK(is_cloexec(socket.as_raw_fd()));
#endif
        const SocketAddr address = address_of(socket);
        CHECK(address.family() == where.family());
        CHECK_MESSAGE(address.port() != 0, "after port 0, local_addr names the port the kernel chose");
    }
}

TEST_CASE("without SO_REUSEADDR a second socket cannot bind a port in use") {
    const metalio::test::FdLeakCheck no_leak;
    const UdpSocket first = bound();
    const auto second = UdpSocket::bind(address_of(first));
    REQUIRE_FALSE(second.has_value());
    CHECK_MESSAGE(second.error() == std::errc::address_in_use, "got ", second.error());
}

TEST_CASE("send_to and recv_from carry one datagram each way with its sender's address") {
    const metalio::test::FdLeakCheck no_leak;
    for (const SocketAddr& where : {localhost_v4(), localhost_v6()}) {
        auto poll = make_poll();
        const UdpSocket a = bound(where);
        const UdpSocket b = bound(where);
        REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
        REQUIRE(a.send_to(bytes("ping"), address_of(b)) == 4u);
        const auto [data, sender] = receive(poll, b);
        CHECK(data == "ping");
        CHECK(sender == address_of(a));
    }
}

TEST_CASE("recv_from on an empty socket is WouldBlock, not 0") {
    const metalio::test::FdLeakCheck no_leak;
    const UdpSocket socket = bound();
    std::array<std::byte, 16> buffer{};
    const auto received = socket.recv_from(buffer);
    REQUIRE_FALSE(received.has_value());
    CHECK_MESSAGE(metalio::io::is_would_block(received.error()), "got ", received.error());
}

TEST_CASE("one receive is one datagram: two sends are never merged, and a short one does not mean drained") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const UdpSocket a = bound();
    const UdpSocket b = bound();
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    REQUIRE(a.send_to(bytes("one"), address_of(b)));
    REQUIRE(a.send_to(bytes("two"), address_of(b)));
    CHECK(receive(poll, b).first == "one");
    // The first receive returned 3 bytes into a 2048-byte buffer; a stream
    // reader would stop here. The second datagram is still queued:
    CHECK(receive(poll, b).first == "two");
}

TEST_CASE("an empty datagram is a datagram: recv_from returns 0 and the sender") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const UdpSocket a = bound();
    const UdpSocket b = bound();
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    REQUIRE(a.send_to({}, address_of(b)) == 0u);
    const auto [data, sender] = receive(poll, b);
    CHECK(data.empty());
    CHECK(sender == address_of(a));
}

TEST_CASE("a buffer smaller than the datagram truncates it, and the rest is gone") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const UdpSocket a = bound();
    const UdpSocket b = bound();
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    REQUIRE(a.send_to(bytes("truncated"), address_of(b)));
    REQUIRE(a.send_to(bytes("next"), address_of(b)));
    REQUIRE(wait_for(poll, Token{1}).has_value());
    std::array<std::byte, 5> small{};
    const auto first = b.recv_from(small);
    REQUIRE_MESSAGE(first.has_value(), why(first));
    CHECK_MESSAGE(first->first == small.size(), "a truncated datagram fills the buffer exactly");
    CHECK(text(small) == "trunc");
    CHECK_MESSAGE(receive(poll, b).first == "next", "the cut-off bytes must not show up as another datagram");
}

TEST_CASE("connected peek and recv cut a datagram to the buffer the same way, on every platform") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const UdpSocket a = bound();
    const UdpSocket b = bound();
    REQUIRE(a.connect(address_of(b)));
    REQUIRE(b.connect(address_of(a)));
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    REQUIRE(a.send(bytes("truncated")));
    REQUIRE(wait_for(poll, Token{1}).has_value());
    // winsock fails these with WSAEMSGSIZE; metalio answers as Linux does.
    std::array<std::byte, 5> small{};
    CHECK(b.peek(small) == small.size());
    CHECK(b.recv(small) == small.size());
    CHECK(text(small) == "trunc");
    const auto rest = b.recv(small);
    REQUIRE_FALSE(rest.has_value());
    CHECK_MESSAGE(metalio::io::is_would_block(rest.error()), "the cut-off bytes are gone, not another datagram");
}

TEST_CASE("peek_from leaves the datagram queued for recv_from") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const UdpSocket a = bound();
    const UdpSocket b = bound();
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    REQUIRE(a.send_to(bytes("peek"), address_of(b)));
    REQUIRE(wait_for(poll, Token{1}).has_value());
    std::array<std::byte, 16> buffer{};
    const auto peeked = b.peek_from(buffer);
    REQUIRE_MESSAGE(peeked.has_value(), why(peeked));
    CHECK(text(std::span(buffer).first(peeked->first)) == "peek");
    CHECK(peeked->second == address_of(a));
    CHECK(receive(poll, b).first == "peek");
}

TEST_CASE("connect sets the peer for send/recv/peek and filters other senders") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const UdpSocket a = bound();
    const UdpSocket b = bound();
    const UdpSocket stranger = bound();
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    const auto before = b.peer_addr();
    REQUIRE_FALSE(before.has_value());
    CHECK(before.error() == std::errc::not_connected);

    REQUIRE(a.connect(address_of(b)));
    REQUIRE(b.connect(address_of(a)));
    CHECK(a.peer_addr() == address_of(b));
    REQUIRE(stranger.send_to(bytes("from a stranger"), address_of(b)));
    REQUIRE(a.send(bytes("hello")) == 5u);
    REQUIRE(wait_for(poll, Token{1}).has_value());
    std::array<std::byte, 64> buffer{};
    const auto peeked = b.peek(buffer);
    REQUIRE_MESSAGE(peeked.has_value(), why(peeked));
    CHECK_MESSAGE(text(std::span(buffer).first(*peeked)) == "hello", "a connected socket drops other senders");
    const auto received = b.recv(buffer);
    REQUIRE(received.has_value());
    CHECK(text(std::span(buffer).first(*received)) == "hello");
    const auto nothing = b.recv(buffer);
    REQUIRE_FALSE(nothing.has_value());
    CHECK(metalio::io::is_would_block(nothing.error()));
}

TEST_CASE("send without connect is EDESTADDRREQ (WSAENOTCONN on Windows)") {
    const metalio::test::FdLeakCheck no_leak;
    const UdpSocket socket = bound();
    const auto sent = socket.send(bytes("x"));
    REQUIRE_FALSE(sent.has_value());
#if defined(_WIN32)
    // Windows documents WSAENOTCONN for a datagram socket with no peer; Wine
    // 8, which runs these tests, answers WSAEINVAL. The call must fail either way.
    CHECK_MESSAGE((sent.error() == std::errc::not_connected || sent.error() == std::errc::invalid_argument),
                  "got ", sent.error());
#else
    CHECK(sent.error() == std::errc::destination_address_required);
#endif
}

TEST_CASE("a datagram bigger than UDP can carry is EMSGSIZE, and the socket still works") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const UdpSocket a = bound();
    const UdpSocket b = bound();
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    const std::vector<std::byte> huge(65'508);  // one byte more than IPv4 UDP allows
    const auto sent = a.send_to(huge, address_of(b));
    REQUIRE_FALSE(sent.has_value());
    CHECK_MESSAGE(sent.error() == std::errc::message_size, "got ", sent.error());
    REQUIRE(a.send_to(bytes("after"), address_of(b)));
    CHECK(receive(poll, b).first == "after");
}

#if !defined(_WIN32)  // Windows: windows/udp_socket_test.cpp (the report is switched off there)
TEST_CASE("a connected socket whose peer port is closed reports ECONNREFUSED through recv or take_error") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const UdpSocket a = bound();
    SocketAddr gone = localhost_v4();
    {
        const UdpSocket closed = bound();
        gone = address_of(closed);
    }
    REQUIRE(poll.registry().register_(a, Token{1}, Interest::READABLE));
    REQUIRE(a.connect(gone));
    REQUIRE(a.send(bytes("anyone?")));
    // The ICMP "port unreachable" comes back as an error event.
    const auto event = wait_for(poll, Token{1});
    REQUIRE_MESSAGE(event.has_value(), "no event after sending to a closed port");
    CHECK(event->is_error());
    // libkqueue reads SO_ERROR to build the event, which clears it: a known
    // difference from a BSD kernel (tests/support/selector_facts.hpp).
    if (metalio::test::kEventConsumesSocketError) return;
    const auto pending = a.take_error();
    REQUIRE(pending.has_value());
    REQUIRE_MESSAGE(pending->has_value(), "take_error should return the ECONNREFUSED");
    CHECK(**pending == std::errc::connection_refused);
    const auto again = a.take_error();
    REQUIRE(again.has_value());
    CHECK_MESSAGE(!again->has_value(), "take_error clears the error");
}
#endif

TEST_CASE("ttl, broadcast and multicast loop/ttl options read back what was set") {
    const metalio::test::FdLeakCheck no_leak;
    const UdpSocket socket = bound();
    REQUIRE(socket.set_ttl(42));
    CHECK(socket.ttl() == 42u);
    CHECK(socket.broadcast() == false);
    REQUIRE(socket.set_broadcast(true));
    CHECK(socket.broadcast() == true);
    REQUIRE(socket.set_multicast_loop_v4(false));
    CHECK(socket.multicast_loop_v4() == false);
    REQUIRE(socket.set_multicast_ttl_v4(7));
    CHECK(socket.multicast_ttl_v4() == 7u);

    const UdpSocket v6 = bound(localhost_v6());
    REQUIRE(v6.set_multicast_loop_v6(false));
    CHECK(v6.multicast_loop_v6() == false);
    REQUIRE(v6.set_multicast_loop_v6(true));
    CHECK(v6.multicast_loop_v6() == true);
}

TEST_CASE("an out-of-range TTL is refused with EINVAL and the old value stays") {
    const metalio::test::FdLeakCheck no_leak;
    const UdpSocket socket = bound();
    REQUIRE(socket.set_ttl(10));
    const auto refused = socket.set_ttl(256);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == std::errc::invalid_argument);
    CHECK(socket.ttl() == 10u);
}

TEST_CASE("only_v6: a socket bound to ::1 is IPv6-only (Linux sets it), an IPv4 socket has no such option") {
    const metalio::test::FdLeakCheck no_leak;
    const UdpSocket v6 = bound(localhost_v6());
    const auto only = v6.only_v6();
    REQUIRE_MESSAGE(only.has_value(), why(only));
    CHECK_MESSAGE(*only == true, "bound to a specific IPv6 address, the socket cannot take IPv4 traffic");
    const UdpSocket v4 = bound();
    const auto none = v4.only_v6();
    REQUIRE_FALSE(none.has_value());
#if defined(_WIN32)
    // Windows sets IPV6_V6ONLY on every IPv6 socket by default; for an IPv4
    // socket winsock documents no particular number (Wine 8 passes Linux's
    // EOPNOTSUPP through), so only the failure is checked.
    MESSAGE("only_v6 of an IPv4 socket on winsock: ", none.error());
#else
    CHECK_MESSAGE(none.error() == std::errc::operation_not_supported, "got ", none.error());
#endif
}

TEST_CASE("join and leave an IPv4 multicast group on loopback, leaving twice is an error") {
    const metalio::test::FdLeakCheck no_leak;
    const UdpSocket socket = bound(SocketAddr::v4({0, 0, 0, 0}, 0));
    const metalio::net::Ipv4Addr group{224, 0, 0, 123};
    const metalio::net::Ipv4Addr loopback{127, 0, 0, 1};
    const auto joined = socket.join_multicast_v4(group, loopback);
    REQUIRE_MESSAGE(joined.has_value(), "join_multicast_v4: ", why(joined));
    REQUIRE(socket.leave_multicast_v4(group, loopback));
    const auto again = socket.leave_multicast_v4(group, loopback);
    REQUIRE_FALSE(again.has_value());
#if defined(_WIN32)
    // winsock documents no number for leaving a group twice (Wine 8: WSAEINVAL).
    MESSAGE("leaving twice on winsock: ", again.error());
#else
    CHECK_MESSAGE(again.error() == std::errc::address_not_available, "got ", again.error());
#endif
    // Not a multicast address at all: the kernel refuses it.
    const auto unicast = socket.join_multicast_v4({127, 0, 0, 1}, loopback);
    REQUIRE_FALSE(unicast.has_value());
    CHECK(unicast.error() == std::errc::invalid_argument);
}

TEST_CASE("join and leave an IPv6 multicast group, a bad interface index is an error") {
    const metalio::test::FdLeakCheck no_leak;
    const UdpSocket socket = bound(localhost_v6());
    const metalio::net::Ipv6Addr group{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x23};
    const unsigned loopback_index = 1;  // "lo" is interface 1 on Linux
    const auto joined = socket.join_multicast_v6(group, loopback_index);
    REQUIRE_MESSAGE(joined.has_value(), "join_multicast_v6: ", why(joined));
    REQUIRE(socket.leave_multicast_v6(group, loopback_index));
    const auto nowhere = socket.join_multicast_v6(group, 999'999);
    REQUIRE_FALSE(nowhere.has_value());
#if defined(_WIN32)
    // winsock documents no number for an unknown interface (Wine 8: WSAEINVAL).
    MESSAGE("unknown interface on winsock: ", nowhere.error());
#else
    CHECK_MESSAGE(nowhere.error() == std::errc::no_such_device, "got ", nowhere.error());
#endif
}

#if !defined(_WIN32)  // Windows: from_raw_socket, windows/udp_socket_test.cpp
TEST_CASE("from_raw_fd adopts a socket and into_raw_fd gives it back unclosed") {
    const metalio::test::FdLeakCheck no_leak;
    UdpSocket socket = bound();
    const SocketAddr address = address_of(socket);
    const int fd = std::move(socket).into_raw_fd();
    REQUIRE(fd >= 0);
    const UdpSocket adopted = UdpSocket::from_raw_fd(fd);
    CHECK(adopted.as_raw_fd() == fd);
    CHECK(address_of(adopted) == address);
}
#endif

TEST_CASE("a failing bind (injected EADDRINUSE) closes its socket") {
    const metalio::test::FdLeakCheck no_leak;
#if defined(_WIN32)
    fault::fail_next("bind", WSAEADDRINUSE);  // an injected number is the platform's
#else
    fault::fail_next("bind", EADDRINUSE);
#endif
    const auto socket = UdpSocket::bind(localhost_v4());
    fault::reset();
    REQUIRE_FALSE(socket.has_value());
    CHECK(socket.error() == std::errc::address_in_use);
}
