// Stage 08 on Windows: the udp_echo example, started as a Windows child
// process and answered as `nc -u` would answer it (../example_test.cpp does
// it with nc on Unix).
#include <winsock2.h>
#include <ws2tcpip.h>

#include <string>

#include "metalio/sys/windows/owned_socket.hpp"
#include "metalio_test.hpp"
#include "windows_child.hpp"

using metalio::sys::windows::OwnedSocket;

TEST_CASE("udp_echo sends a datagram from a client back to it") {
    const metalio::test::FdLeakCheck no_leak;
    // Port 0: the system picks one and the example prints it; 1: exit after one datagram.
    metalio::test::ChildProcess example(METALIO_EXAMPLE_UDP_ECHO, "0 1");
    const std::string first = example.next_line();
    const auto at = first.find("nc -u 127.0.0.1 ");
    REQUIRE_MESSAGE(at != std::string::npos, "the first line should say how to reach it: ", first);
    const auto port = static_cast<u_short>(std::stoi(first.substr(at + 16)));

    // A blocking client with a 10 s receive timeout, like nc -u.
    REQUIRE(metalio::sys::windows::init_winsock().has_value());
    const OwnedSocket client(::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP));
    REQUIRE(client.get() != INVALID_SOCKET);
    const DWORD ten_seconds = 10000;
    REQUIRE(::setsockopt(client.get(), SOL_SOCKET, SO_RCVTIMEO, reinterpret_cast<const char*>(&ten_seconds),
                         sizeof ten_seconds) == 0);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    server.sin_port = htons(port);
    REQUIRE(::sendto(client.get(), "ping\n", 5, 0, reinterpret_cast<sockaddr*>(&server), sizeof server) == 5);
    char reply[64] = {};
    const int got = ::recv(client.get(), reply, sizeof reply, 0);
    REQUIRE_MESSAGE(got > 0, "no echo within 10 s: error ", ::WSAGetLastError());
    CHECK(std::string(reply, static_cast<std::size_t>(got)) == "ping\n");

    const std::string said = example.next_line();
    CHECK_MESSAGE(said.rfind("5 bytes from 127.0.0.1:", 0) == 0, "the example printed: ", said);
    const auto code = example.exit_code();
    REQUIRE_MESSAGE(code.has_value(), "the example did not exit after its one datagram");
    CHECK(*code == 0u);
}
