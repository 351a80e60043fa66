// Stage 09 on Windows: the coroutine echo server and the HTTP hello example,
// started as child processes (under Wine: in the same Wine session as this
// test) and driven through real sockets as `nc` would, with the same
// expectations as tests/09-runtime/echo_server_test.cpp on Unix.
#include <winsock2.h>
#include <windows.h>

#include <cstdint>
#include <string>

#include "metalio/sys/windows/owned_socket.hpp"
#include "metalio_test.hpp"
#include "windows_child.hpp"
#include "windows_client.hpp"

using metalio::sys::windows::OwnedSocket;
using metalio::test::ChildProcess;
using metalio::test::connect_to;
using metalio::test::receive;
using metalio::test::send_all;

namespace {

// Reads the echo server's four lines of instructions; returns the port of
// the nc command among them.
std::uint16_t start(ChildProcess& server) {
    std::uint16_t port = 0;
    for (int i = 0; i < 4; ++i) {
        const std::string line = server.next_line();
        if (line.rfind(" $ nc -N ", 0) == 0) port = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(' '))));
    }
    REQUIRE_MESSAGE(port != 0, "the server did not print the nc -N command with its port");
    return port;
}

}  // namespace

TEST_CASE("like nc: the greeting comes back, the typed line is printed, the close is noticed") {
    const metalio::test::FdLeakCheck no_leak;  // sockets and the child's handles
    ChildProcess server(METALIO_EXAMPLE_ECHO_SERVER, "127.0.0.1:0");
    const std::uint16_t port = start(server);
    {
        const OwnedSocket client = connect_to(port);
        CHECK(receive(client.get(), 13) == "Hello world!\n");
        CHECK(server.next_line().rfind("Accepted connection from: 127.0.0.1:", 0) == 0);
        send_all(client.get(), "hello from nc\n");
        CHECK(server.next_line() == "Received data: hello from nc");
        // Like nc -N at end of input: shut the sending half down; the
        // coroutine sees end-of-file, ends and closes its stream.
        REQUIRE(::shutdown(client.get(), SD_SEND) == 0);
        CHECK(server.next_line() == "Connection closed");
        CHECK(receive(client.get(), 1).empty());
    }
}

TEST_CASE("two clients at once, each served by its own coroutine") {
    const metalio::test::FdLeakCheck no_leak;  // sockets and the child's handles
    ChildProcess server(METALIO_EXAMPLE_ECHO_SERVER, "127.0.0.1:0");
    const std::uint16_t port = start(server);
    OwnedSocket first = connect_to(port);
    OwnedSocket second = connect_to(port);
    CHECK(receive(first.get(), 13) == "Hello world!\n");
    CHECK(receive(second.get(), 13) == "Hello world!\n");
    CHECK(server.next_line().rfind("Accepted connection from:", 0) == 0);
    CHECK(server.next_line().rfind("Accepted connection from:", 0) == 0);
    send_all(second.get(), "from two\n");
    CHECK(server.next_line() == "Received data: from two");
    send_all(first.get(), "from one\n");
    CHECK(server.next_line() == "Received data: from one");
    first = OwnedSocket(INVALID_SOCKET);
    CHECK(server.next_line() == "Connection closed");
    second = OwnedSocket(INVALID_SOCKET);
    CHECK(server.next_line() == "Connection closed");
}

TEST_CASE("the HTTP hello example answers two keep-alive requests on one connection") {
    const metalio::test::FdLeakCheck no_leak;  // sockets and the child's handles
    ChildProcess server(METALIO_EXAMPLE_HTTP_HELLO, "127.0.0.1:0");
    const std::string line = server.next_line();
    REQUIRE_MESSAGE(line.rfind("listening on 127.0.0.1:", 0) == 0, "unexpected first line: ", line);
    const OwnedSocket client = connect_to(static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1))));
    const std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    send_all(client.get(), request + request);
    const std::string response =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello world!\n";
    CHECK(receive(client.get(), 2 * response.size()) == response + response);
}
