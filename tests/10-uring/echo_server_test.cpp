// Stage 10: the echo server example on the completion API, driven by
// plain sockets: many connections at once, each echoed byte for byte.
#include <string>
#include <vector>

#include "example_server.hpp"

TEST_CASE("stage10_echo_server: 50 connections at once, each gets back exactly what it sent, large messages too") {
    if (uring_test::skip()) return;
    uring_test::ExampleServer server(METALIO_EXAMPLE_ECHO_SERVER);
    std::vector<int> clients;
    for (int i = 0; i < 50; ++i) clients.push_back(server.connect());
    // 20 000 bytes: more than one 4096-byte recv, so the server loops.
    for (std::size_t i = 0; i < clients.size(); ++i) {
        std::string message(20000, static_cast<char>('a' + i % 26));
        message += std::to_string(i);
        REQUIRE(::send(clients[i], message.data(), message.size(), 0) == static_cast<ssize_t>(message.size()));
        CHECK(uring_test::receive(clients[i], message.size()) == message);
    }
    for (int fd : clients) ::close(fd);
}
