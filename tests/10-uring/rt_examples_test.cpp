// Stage 10: stage 09's two example servers, the same source files, built on
// the ring runtime (stage10_rt_echo_server, stage10_rt_http_hello), and
// driven by plain sockets as a user's nc and curl would.
#include <string>
#include <string_view>
#include <vector>

#include "example_server.hpp"

namespace {

constexpr std::string_view kResponse =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello world!\n";

void send_all(int fd, std::string_view text) {
    REQUIRE(::send(fd, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size()));
}

}  // namespace

TEST_CASE("stage 09's echo server on the ring: greets, prints what a client sends, notices the close") {
    if (uring_test::skip()) return;
    uring_test::ExampleServer server(METALIO_EXAMPLE_RT_ECHO_SERVER);
    CHECK(server.next_line() == "You'll see our welcome message and anything you type will be printed here;");
    CHECK(server.next_line() == "Ctrl-D in nc closes the connection.");
    const int client = server.connect();
    CHECK(uring_test::receive(client, 13) == "Hello world!\n");
    CHECK(server.next_line().starts_with("Accepted connection from: 127.0.0.1:"));
    send_all(client, "hi there\n");
    CHECK(server.next_line() == "Received data: hi there");
    ::shutdown(client, SHUT_WR);  // nc -N at Ctrl-D
    CHECK(server.next_line() == "Connection closed");
    CHECK(uring_test::receive(client, 1).empty());  // the server closed its end
    ::close(client);
}

TEST_CASE("stage 09's hello server on the ring: 20 keep-alive clients, pipelined requests, and a reset") {
    if (uring_test::skip()) return;
    uring_test::ExampleServer server(METALIO_EXAMPLE_RT_HTTP_HELLO);
    // A client that connects and resets at once must not disturb the others.
    const int rude = server.connect();
    const linger reset{1, 0};
    REQUIRE(::setsockopt(rude, SOL_SOCKET, SO_LINGER, &reset, sizeof reset) == 0);
    ::close(rude);
    std::vector<int> clients;
    for (int i = 0; i < 20; ++i) clients.push_back(server.connect());
    const std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    std::string expected;
    for (int i = 0; i < 3; ++i) expected += kResponse;
    for (int round = 0; round < 2; ++round) {
        for (const int fd : clients) send_all(fd, request + request + request);  // three at once
        for (const int fd : clients) CHECK(uring_test::receive(fd, expected.size()) == expected);
    }
    for (const int fd : clients) ::close(fd);
}
