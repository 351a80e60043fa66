// Stage 06 on Windows: the echo server program itself, started as a child
// process (under Wine: in the same Wine session as this test) and driven
// through real sockets as `nc` would, as tests/06-events/echo_server_test.cpp
// does on Unix.
#include <winsock2.h>
#include <windows.h>

#include <string>

#include "metalio/sys/windows/owned_socket.hpp"
#include "metalio_test.hpp"
#include "windows_child.hpp"
#include "windows_client.hpp"

using metalio::sys::windows::OwnedSocket;
using metalio::test::connect_to;
using metalio::test::receive;
using metalio::test::send_all;

namespace {

// The server as a child process whose stdout we read line by line.
class Server {
public:
    Server() : process_(METALIO_EXAMPLE_ECHO_SERVER, "127.0.0.1:0") {
        // " $ nc 127.0.0.1 PORT" tells us where it listens.
        for (int i = 0; i < 4; ++i) {  // the banner's four lines
            const std::string line = next_line();
            if (line.rfind(" $ nc ", 0) == 0) port_ = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(' '))));
        }
        REQUIRE_MESSAGE(port_ != 0, "the server did not print the nc command with its port");
    }

    [[nodiscard]] std::uint16_t port() const { return port_; }

    // The next line the server printed, or "" after 10 s of silence.
    std::string next_line() { return process_.next_line(); }

private:
    metalio::test::ChildProcess process_;
    std::uint16_t port_ = 0;
};

}  // namespace

TEST_CASE("like nc: the greeting arrives, typed text is printed, the close is noticed") {
    Server server;
    {
        const OwnedSocket client = connect_to(server.port());
        CHECK(receive(client.get(), 13) == "Hello world!\n");
        CHECK(server.next_line().rfind("Accepted connection from: 127.0.0.1:", 0) == 0);
        send_all(client.get(), "hi there\n");
        CHECK(server.next_line() == "Received data: hi there");
    }
    CHECK(server.next_line() == "Connection closed");
}

TEST_CASE("two clients at once are told apart by their tokens") {
    Server server;
    const OwnedSocket first = connect_to(server.port());
    CHECK(receive(first.get(), 13) == "Hello world!\n");
    CHECK(server.next_line().rfind("Accepted connection from:", 0) == 0);
    const OwnedSocket second = connect_to(server.port());
    CHECK(receive(second.get(), 13) == "Hello world!\n");
    CHECK(server.next_line().rfind("Accepted connection from:", 0) == 0);
    send_all(second.get(), "from the second\n");
    CHECK(server.next_line() == "Received data: from the second");
    send_all(first.get(), "from the first\n");
    CHECK(server.next_line() == "Received data: from the first");
}

TEST_CASE("a peer that sends 1 MiB at once loses no byte: the server drains to WouldBlock on every event") {
    Server server;
    const OwnedSocket client = connect_to(server.port());
    CHECK(receive(client.get(), 13) == "Hello world!\n");
    CHECK(server.next_line().rfind("Accepted connection from:", 0) == 0);
    send_all(client.get(), std::string(1 << 20, 'x'));
    REQUIRE(::shutdown(client.get(), SD_SEND) == 0);
    // The server prints "Received data: xxx..." per drained chunk; count the x.
    std::size_t received = 0;
    for (std::string line = server.next_line(); !line.empty() && line != "Connection closed"; line = server.next_line()) {
        const std::string prefix = "Received data: ";
        REQUIRE(line.rfind(prefix, 0) == 0);
        received += line.size() - prefix.size();
    }
    CHECK(received == (1u << 20));
}
