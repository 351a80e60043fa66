// Behaviour suite, part 4a: UDP, after the behaviour mio's tests/udp_socket.rs
// pins down (written anew for metalio): edge-triggered readiness with many
// queued datagrams, a new socket's first event, events after
// deregister/reregister, re-connect. It runs on every platform, Windows
// included; the Unix sockets and pipes of stage 08 are unix_pipe_test.cpp.
#include <array>
#include <string>

#include "behaviour.hpp"
#include "datagrams.hpp"
#include "metalio/net/udp_socket.hpp"

using namespace behaviour;
using metalio::net::UdpSocket;

namespace {

UdpSocket udp(const SocketAddr& where = localhost_v4()) {
    auto socket = UdpSocket::bind(where);
    REQUIRE_MESSAGE(socket.has_value(), "UdpSocket::bind failed: ", why(socket));
    return std::move(*socket);
}

SocketAddr address_of(const UdpSocket& socket) {
    const auto address = socket.local_addr();
    REQUIRE_MESSAGE(address.has_value(), "local_addr failed: ", why(address));
    return *address;
}

}  // namespace

BEHAVIOUR("UDP: three queued datagrams are one readable event, unread ones bring no new event until drained") {
    const UdpSocket a = udp();
    const UdpSocket b = udp();
    REQUIRE(a.connect(address_of(b)));
    REQUIRE(b.connect(address_of(a)));
    check_edge_triggered_datagrams(a, b);
}

BEHAVIOUR("UDP: a new socket is writable at once, IPv6 sockets exchange datagrams") {
    Poll poll = make_poll();
    const UdpSocket a = udp(localhost_v6());
    const UdpSocket b = udp(localhost_v6());
    REQUIRE(poll.registry().register_(a, Token{1}, Interest::WRITABLE));
    REQUIRE(poll.registry().register_(b, Token{2}, Interest::READABLE));
    const auto writable = wait_for(poll, Token{1});
    REQUIRE_MESSAGE(writable.has_value(), "an idle UDP socket should be writable");
    CHECK(writable->is_writable());
    REQUIRE(a.send_to(bytes("v6"), address_of(b)) == 2u);
    REQUIRE(wait_for(poll, Token{2}).has_value());
    std::array<std::byte, 8> buffer{};
    const auto received = b.recv_from(buffer);
    REQUIRE_MESSAGE(received.has_value(), why(received));
    CHECK(received->second == address_of(a));
}

BEHAVIOUR("UDP: no events after deregister, reregister with a new token delivers under the new token") {
    Poll poll = make_poll();
    const UdpSocket a = udp();
    const UdpSocket b = udp();
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    REQUIRE(poll.registry().deregister(b));
    REQUIRE(a.send_to(bytes("unseen"), address_of(b)));
    CHECK_MESSAGE(poll_once(poll, kQuietWait).empty(), "a deregistered socket must produce no event");
    CHECK_MESSAGE(drain_datagrams(b) == 1u, "the datagram arrived all the same: only the event is missing");

    REQUIRE(poll.registry().register_(b, Token{1}, Interest::WRITABLE));
    REQUIRE(poll.registry().reregister(b, Token{7}, Interest::READABLE));
    REQUIRE(a.send_to(bytes("seen"), address_of(b)));
    const auto event = wait_for(poll, Token{7});
    REQUIRE_MESSAGE(event.has_value(), "no event under the new token");
    CHECK(event->is_readable());
}

BEHAVIOUR("UDP: connect can be changed, then only the new peer's datagrams arrive") {
    Poll poll = make_poll();
    const UdpSocket a = udp();
    const UdpSocket first = udp();
    const UdpSocket second = udp();
    REQUIRE(poll.registry().register_(a, Token{1}, Interest::READABLE));
    REQUIRE(a.connect(address_of(first)));
    REQUIRE(a.connect(address_of(second)));
    CHECK(a.peer_addr() == address_of(second));
    REQUIRE(first.send_to(bytes("old"), address_of(a)));
    REQUIRE(second.send_to(bytes("new"), address_of(a)));
    REQUIRE(wait_for(poll, Token{1}).has_value());
    std::array<std::byte, 8> buffer{};
    const auto received = a.recv(buffer);
    REQUIRE_MESSAGE(received.has_value(), why(received));
    CHECK(std::string(reinterpret_cast<const char*>(buffer.data()), *received) == "new");
}
