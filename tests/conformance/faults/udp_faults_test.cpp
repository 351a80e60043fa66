// Fault sweep over UdpSocket (stage 08), on every platform: every system
// call of every operation fails once (see sweep.hpp), and the failure must
// be reported, leak nothing (no fd; on Windows no socket or handle) and
// leave the sockets usable. On Windows this includes the calls only
// winsock needs, such as the WSAIoctl that bind makes to switch off the
// "port unreachable" report. The Unix domain sockets and pipes, which
// Windows does not have, are swept in unix_pipe_faults_test.cpp.
#include <array>
#include <cstdint>
#include <string_view>
#include <utility>

#include "metalio/net/udp_socket.hpp"
#include "metalio/poll.hpp"
#include "metalio_test.hpp"
#include "platform.hpp"
#include "socket_addrs.hpp"
#include "sweep.hpp"

using faults::bytes;
using faults::kIn;
using faults::kIoError;
using faults::kNoFds;
using faults::kNoMemory;
using faults::sweep;
using faults::wait_fd;
using metalio::Interest;
using metalio::Poll;
using metalio::Token;
using metalio::net::SocketAddr;
using metalio::net::UdpSocket;
using metalio::test::localhost_v4;
using metalio::test::localhost_v6;
using metalio::test::why;

namespace {

UdpSocket make_udp(const SocketAddr& where = localhost_v4()) {
    auto socket = UdpSocket::bind(where);
    REQUIRE_MESSAGE(socket.has_value(), "UdpSocket::bind failed: ", why(socket));
    return std::move(*socket);
}

SocketAddr address_of(const UdpSocket& socket) {
    const auto address = socket.local_addr();
    REQUIRE(address.has_value());
    return *address;
}

/// Two UDP sockets connected to each other.
struct Udp {
    UdpSocket a;
    UdpSocket b;
    SocketAddr b_address;  // asked before the sweep, so it adds no system call
};

Udp make_udp_pair() {
    UdpSocket a = make_udp();
    UdpSocket b = make_udp();
    const SocketAddr b_address = address_of(b);
    Udp udp{std::move(a), std::move(b), b_address};
    REQUIRE(udp.a.connect(address_of(udp.b)));
    REQUIRE(udp.b.connect(address_of(udp.a)));
    return udp;
}

/// A connected pair where "queued" waits at b.
Udp make_udp_with_datagram() {
    Udp udp = make_udp_pair();
    REQUIRE(udp.a.send(bytes("queued")) == 6u);
    REQUIRE(wait_fd(udp.b, kIn));
    return udp;
}

void datagram_still_queued(const Udp& udp) {
    std::array<std::byte, 16> buffer{};
    const auto received = udp.b.recv(buffer);
    CHECK_MESSAGE((received.has_value() && *received == 6u),
                  "a receive that failed must not consume the datagram: ", why(received));
}

void udp_still_sends(const Udp& udp) {
    REQUIRE(udp.a.send(bytes("again")) == 5u);
    REQUIRE(wait_fd(udp.b, kIn));
    std::array<std::byte, 16> buffer{};
    CHECK_MESSAGE(udp.b.recv(buffer) == 5u, "after a failed send the next datagram must arrive whole, alone");
}

const auto kBoth = Interest::READABLE | Interest::WRITABLE;

}  // namespace

TEST_CASE("UdpSocket: every failing system call is reported and leaks nothing") {
    const metalio::test::FdLeakCheck no_leak;

    sweep(
        "UdpSocket::bind", kNoFds, [] { return 0; }, [](int) { return UdpSocket::bind(localhost_v4()); },
        [](int) { CHECK(UdpSocket::bind(localhost_v4()).has_value()); });
    sweep(
        "UdpSocket::bind (IPv6 ::1)", kNoFds, [] { return 0; }, [](int) { return UdpSocket::bind(localhost_v6()); },
        [](int) { CHECK(UdpSocket::bind(localhost_v6()).has_value()); });

    sweep(
        "UdpSocket::send_to", kIoError, make_udp_pair,
        [](Udp& udp) { return udp.a.send_to(bytes("lost"), udp.b_address); }, udp_still_sends);
    sweep(
        "UdpSocket::send", kIoError, make_udp_pair, [](Udp& udp) { return udp.a.send(bytes("lost")); },
        udp_still_sends);
    sweep(
        "UdpSocket::recv_from", kIoError, make_udp_with_datagram,
        [](Udp& udp) {
            std::array<std::byte, 16> buffer{};
            return udp.b.recv_from(buffer);
        },
        datagram_still_queued);
    sweep(
        "UdpSocket::peek_from", kIoError, make_udp_with_datagram,
        [](Udp& udp) {
            std::array<std::byte, 16> buffer{};
            return udp.b.peek_from(buffer);
        },
        datagram_still_queued);
    sweep(
        "UdpSocket::recv", kIoError, make_udp_with_datagram,
        [](Udp& udp) {
            std::array<std::byte, 16> buffer{};
            return udp.b.recv(buffer);
        },
        datagram_still_queued);
    sweep(
        "UdpSocket::peek", kIoError, make_udp_with_datagram,
        [](Udp& udp) {
            std::array<std::byte, 16> buffer{};
            return udp.b.peek(buffer);
        },
        datagram_still_queued);
    sweep(
        "UdpSocket::connect", kIoError, make_udp_pair, [](Udp& udp) { return udp.a.connect(udp.b_address); },
        [](Udp& udp) {
            CHECK(udp.a.connect(udp.b_address).has_value());
            udp_still_sends(udp);
        });
    sweep(
        "UdpSocket::local_addr", kIoError, make_udp_pair, [](Udp& udp) { return udp.a.local_addr(); },
        [](Udp& udp) { CHECK(udp.a.local_addr().has_value()); });
    sweep(
        "UdpSocket::peer_addr", kIoError, make_udp_pair, [](Udp& udp) { return udp.a.peer_addr(); },
        [](Udp& udp) { CHECK(udp.a.peer_addr() == udp.b.local_addr()); });
    sweep(
        "UdpSocket::take_error", kIoError, make_udp_pair, [](Udp& udp) { return udp.a.take_error(); },
        [](Udp& udp) {
            const auto error = udp.a.take_error();
            REQUIRE(error.has_value());
            CHECK(!error->has_value());
        });

    // The options: one setsockopt or getsockopt each.
    sweep(
        "UdpSocket::set_ttl", kNoMemory, [] { return make_udp(); },
        [](const UdpSocket& s) { return s.set_ttl(9); }, [](const UdpSocket& s) { CHECK(s.set_ttl(9).has_value()); });
    sweep(
        "UdpSocket::ttl", kIoError, [] { return make_udp(); }, [](const UdpSocket& s) { return s.ttl(); },
        [](const UdpSocket& s) { CHECK(s.ttl().has_value()); });
    sweep(
        "UdpSocket::set_broadcast", kNoMemory, [] { return make_udp(); },
        [](const UdpSocket& s) { return s.set_broadcast(true); },
        [](const UdpSocket& s) { CHECK(s.broadcast() == false); });
    sweep(
        "UdpSocket::broadcast", kIoError, [] { return make_udp(); }, [](const UdpSocket& s) { return s.broadcast(); },
        [](const UdpSocket& s) { CHECK(s.broadcast().has_value()); });
    sweep(
        "UdpSocket::set_multicast_loop_v4", kNoMemory, [] { return make_udp(); },
        [](const UdpSocket& s) { return s.set_multicast_loop_v4(false); },
        [](const UdpSocket& s) { CHECK(s.multicast_loop_v4() == true); });
    sweep(
        "UdpSocket::multicast_loop_v4", kIoError, [] { return make_udp(); },
        [](const UdpSocket& s) { return s.multicast_loop_v4(); },
        [](const UdpSocket& s) { CHECK(s.multicast_loop_v4().has_value()); });
    sweep(
        "UdpSocket::set_multicast_ttl_v4", kNoMemory, [] { return make_udp(); },
        [](const UdpSocket& s) { return s.set_multicast_ttl_v4(5); },
        [](const UdpSocket& s) { CHECK(s.multicast_ttl_v4() == 1u); });
    sweep(
        "UdpSocket::multicast_ttl_v4", kIoError, [] { return make_udp(); },
        [](const UdpSocket& s) { return s.multicast_ttl_v4(); },
        [](const UdpSocket& s) { CHECK(s.multicast_ttl_v4().has_value()); });
    sweep(
        "UdpSocket::set_multicast_loop_v6", kNoMemory, [] { return make_udp(localhost_v6()); },
        [](const UdpSocket& s) { return s.set_multicast_loop_v6(false); },
        [](const UdpSocket& s) { CHECK(s.multicast_loop_v6() == true); });
    sweep(
        "UdpSocket::multicast_loop_v6", kIoError, [] { return make_udp(localhost_v6()); },
        [](const UdpSocket& s) { return s.multicast_loop_v6(); },
        [](const UdpSocket& s) { CHECK(s.multicast_loop_v6().has_value()); });
    sweep(
        "UdpSocket::only_v6", kIoError, [] { return make_udp(localhost_v6()); },
        [](const UdpSocket& s) { return s.only_v6(); }, [](const UdpSocket& s) { CHECK(s.only_v6().has_value()); });

    const metalio::net::Ipv4Addr group{224, 0, 0, 124}, loopback{127, 0, 0, 1};
    sweep(
        "UdpSocket::join_multicast_v4", kNoMemory, [] { return make_udp(SocketAddr::v4({0, 0, 0, 0}, 0)); },
        [&](const UdpSocket& s) { return s.join_multicast_v4(group, loopback); },
        [&](const UdpSocket& s) {
            CHECK_MESSAGE(s.join_multicast_v4(group, loopback).has_value(), "a failed join must not count as joined");
        });
    sweep(
        "UdpSocket::leave_multicast_v4", kNoMemory,
        [&] {
            UdpSocket s = make_udp(SocketAddr::v4({0, 0, 0, 0}, 0));
            REQUIRE(s.join_multicast_v4(group, loopback));
            return s;
        },
        [&](const UdpSocket& s) { return s.leave_multicast_v4(group, loopback); },
        [&](const UdpSocket& s) { CHECK(s.leave_multicast_v4(group, loopback).has_value()); });
    const metalio::net::Ipv6Addr group6{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x24};
    sweep(
        "UdpSocket::join_multicast_v6", kNoMemory, [] { return make_udp(localhost_v6()); },
        [&](const UdpSocket& s) { return s.join_multicast_v6(group6, 1); },
        [&](const UdpSocket& s) { CHECK(s.join_multicast_v6(group6, 1).has_value()); });
    sweep(
        "UdpSocket::leave_multicast_v6", kNoMemory,
        [&] {
            UdpSocket s = make_udp(localhost_v6());
            REQUIRE(s.join_multicast_v6(group6, 1));
            return s;
        },
        [&](const UdpSocket& s) { return s.leave_multicast_v6(group6, 1); },
        [&](const UdpSocket& s) { CHECK(s.leave_multicast_v6(group6, 1).has_value()); });

    sweep(
        "Registry::register_(UdpSocket)", kNoMemory,
        [] {
            auto poll = Poll::create();
            REQUIRE(poll.has_value());
            return std::make_pair(std::move(*poll), make_udp_pair());
        },
        [](std::pair<Poll, Udp>& f) { return f.first.registry().register_(f.second.b, Token{1}, kBoth); },
        [](std::pair<Poll, Udp>& f) {
            CHECK_MESSAGE(f.first.registry().register_(f.second.b, Token{1}, kBoth).has_value(),
                          "after a failed register_ the socket must be registrable again");
        });
}
