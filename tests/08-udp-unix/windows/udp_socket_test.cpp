// Stage 08 on Windows: the promises of net::UdpSocket that only winsock
// needs. The portable ones (datagrams, connect, options, multicast, bad
// input) are ../udp_socket_test.cpp, which the Windows build runs too.
#include <winsock2.h>
#include <windows.h>

#include <array>
#include <string>

#include "../udp_helpers.hpp"

using metalio::Interest;
using metalio::Token;
using metalio::net::SocketAddr;
using metalio::net::UdpSocket;
using namespace stage08;
namespace fault = metalio::sys::fault;

namespace {

/// An address where nobody listens: a socket's, after it was closed.
SocketAddr closed_port() {
    const UdpSocket gone = bound();
    return address_of(gone);
}

}  // namespace

TEST_CASE("bind switches the port-unreachable report off with WSAIoctl: when that fails, bind fails and leaks nothing") {
    const metalio::test::FdLeakCheck no_leak;
    // The switch is one WSAIoctl inside bind: make it fail, and bind must
    // fail with its error and close the socket it made.
    fault::fail_next("WSAIoctl", WSAEINVAL);
    const auto refused = UdpSocket::bind(localhost_v4());
    fault::reset();
    REQUIRE_FALSE(refused.has_value());
    CHECK_MESSAGE(refused.error() == std::errc::invalid_argument, "got ", refused.error());
}

TEST_CASE("every system call of bind fails once, cleanly: the error comes back and no handle leaks") {
    const metalio::test::FdLeakCheck no_leak;
    { const UdpSocket warm = bound(); }  // winsock started: WSAStartup is not one of bind's calls any more
    fault::reset();
    { const UdpSocket counted = bound(); }
    const std::size_t calls = fault::calls();
    REQUIRE_MESSAGE(calls >= 4u, "bind should make at least WSASocketW, ioctlsocket, WSAIoctl and bind: ", calls);
    for (std::size_t n = 0; n < calls; ++n) {
        fault::reset();
        fault::fail_nth(n, WSAENOBUFS);
        const auto made = UdpSocket::bind(localhost_v4());
        const std::string failed(fault::fired());
        fault::reset();
        REQUIRE_FALSE_MESSAGE(made.has_value(), "call ", n, " was failed, but bind succeeded");
        CHECK_MESSAGE(made.error() == std::errc::no_buffer_space, "failing ", failed, ": got ", made.error());
    }
}

TEST_CASE("a failing sendto or recvfrom is reported, and the sockets still carry the next datagram") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const UdpSocket a = bound();
    const UdpSocket b = bound();
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    fault::fail_next("sendto", WSAENOBUFS);
    const auto sent = a.send_to(bytes("lost"), address_of(b));
    fault::reset();
    REQUIRE_FALSE(sent.has_value());
    CHECK(sent.error() == std::errc::no_buffer_space);
    REQUIRE(a.send_to(bytes("kept"), address_of(b)) == 4u);
    REQUIRE(wait_for(poll, Token{1}).has_value());
    std::array<std::byte, 16> buffer{};
    fault::fail_next("recvfrom", WSAENETDOWN);
    const auto failed = b.recv_from(buffer);
    fault::reset();
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().value() == WSAENETDOWN);
    const auto received = b.recv_from(buffer);
    REQUIRE_MESSAGE(received.has_value(), "the datagram must still be queued after the failed call: ", why(received));
    CHECK(text(std::span(buffer).first(received->first)) == "kept");
}

TEST_CASE("a datagram to a closed port does not make the next recv_from fail: the socket keeps receiving") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const UdpSocket a = bound();
    const UdpSocket b = bound();
    REQUIRE(poll.registry().register_(a, Token{1}, Interest::READABLE));
    // Windows answers the ICMP "port unreachable" for this datagram with
    // WSAECONNRESET on a's next receive, unless bind switched that off.
    // (Wine's sockets are Linux's, which never tell an unconnected socket:
    // there only the case above shows that bind makes the switch.)
    REQUIRE(a.send_to(bytes("anyone?"), closed_port()));
    REQUIRE(b.send_to(bytes("hello a"), address_of(a)));
    REQUIRE_MESSAGE(wait_for(poll, Token{1}).has_value(), "no readable event for b's datagram");
    std::array<std::byte, 64> buffer{};
    const auto received = a.recv_from(buffer);
    REQUIRE_MESSAGE(received.has_value(), "the earlier send to a closed port broke the receive: ", why(received));
    CHECK(text(std::span(buffer).first(received->first)) == "hello a");
    CHECK(received->second == address_of(b));
}

TEST_CASE("a connected socket that sent to a closed port keeps working: recv never fails for that send") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const UdpSocket a = bound();
    const UdpSocket b = bound();
    REQUIRE(poll.registry().register_(a, Token{1}, Interest::READABLE));
    REQUIRE(a.connect(closed_port()));
    REQUIRE(a.send(bytes("anyone?")));
    // Windows itself, with the report off, says nothing about the ICMP. Wine
    // 8 passes Linux's answer through: an error event, WouldBlock from recv
    // and WSAECONNREFUSED from take_error. Either way recv must not fail
    // with anything but WouldBlock, and the socket must stay usable.
    (void)wait_for(poll, Token{1}, 200ms);
    std::array<std::byte, 64> buffer{};
    const auto nothing = a.recv(buffer);
    REQUIRE_FALSE(nothing.has_value());
    CHECK_MESSAGE(metalio::io::is_would_block(nothing.error()), "got ", nothing.error());
    (void)a.take_error();

    REQUIRE(a.connect(address_of(b)));
    REQUIRE(b.send_to(bytes("still here"), address_of(a)));
    REQUIRE_MESSAGE(wait_for(poll, Token{1}).has_value(), "no readable event for b's datagram");
    const auto received = a.recv(buffer);
    REQUIRE_MESSAGE(received.has_value(), why(received));
    CHECK(text(std::span(buffer).first(*received)) == "still here");
}

TEST_CASE("winsock reports a cut datagram as WSAEMSGSIZE, metalio returns the buffer size and the sender as on Unix") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const UdpSocket a = bound();
    const UdpSocket b = bound();
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    REQUIRE(a.send_to(bytes("truncated"), address_of(b)));
    REQUIRE(wait_for(poll, Token{1}).has_value());
    // What winsock itself says, with MSG_PEEK so the datagram stays queued.
    char raw[5];
    sockaddr_storage from{};
    int length = sizeof from;
    const int peeked = ::recvfrom(b.as_raw_socket(), raw, sizeof raw, MSG_PEEK, reinterpret_cast<sockaddr*>(&from), &length);
    REQUIRE(peeked == SOCKET_ERROR);
    CHECK(::WSAGetLastError() == WSAEMSGSIZE);
    // What metalio says: peek, then receive.
    std::array<std::byte, 5> small{};
    const auto peek = b.peek_from(small);
    REQUIRE_MESSAGE(peek.has_value(), why(peek));
    CHECK(peek->first == small.size());
    const auto got = b.recv_from(small);
    REQUIRE_MESSAGE(got.has_value(), why(got));
    CHECK(got->first == small.size());
    CHECK(text(small) == "trunc");
    CHECK(got->second == address_of(a));
    const auto rest = b.recv_from(small);
    REQUIRE_FALSE(rest.has_value());
    CHECK_MESSAGE(metalio::io::is_would_block(rest.error()), "the cut-off bytes are gone, not another datagram");
}

TEST_CASE("from_raw_socket adopts a socket and into_raw_socket gives it back unclosed") {
    const metalio::test::FdLeakCheck no_leak;
    UdpSocket socket = bound();
    const SocketAddr address = address_of(socket);
    const SOCKET raw = std::move(socket).into_raw_socket();
    REQUIRE(raw != INVALID_SOCKET);
    const UdpSocket adopted = UdpSocket::from_raw_socket(raw);
    CHECK(adopted.as_raw_socket() == raw);
    CHECK(address_of(adopted) == address);
}

TEST_CASE("a datagram longer than winsock's int length is refused whole, before any call") {
    const metalio::test::FdLeakCheck no_leak;
    const UdpSocket socket = bound();
    // 2 GiB of address space, reserved but never committed: no memory is
    // used, and nothing may read it, because the length check comes first
    // (a read would fault on the inaccessible pages).
    const std::size_t size = std::size_t{1} << 31;
    void* reserved = ::VirtualAlloc(nullptr, size, MEM_RESERVE, PAGE_NOACCESS);
    REQUIRE(reserved != nullptr);
    const auto sent = socket.send_to(std::span(static_cast<const std::byte*>(reserved), size), address_of(socket));
    ::VirtualFree(reserved, 0, MEM_RELEASE);
    REQUIRE_FALSE(sent.has_value());
    CHECK_MESSAGE(sent.error() == std::errc::message_size, "got ", sent.error());
}
