// Stage 10: the echo server example on the completion API, driven by
// plain sockets: many connections at once, each echoed byte for byte.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <string>
#include <vector>

#include "line_reader.hpp"
#include "uring_test.hpp"

extern char** environ;

namespace {

// The example, started on a port of the system's choice; killed at the end.
class Server {
public:
    Server() {
        int out[2];
        REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        std::string program = METALIO_EXAMPLE_ECHO_SERVER;
        std::string address = "127.0.0.1:0";
        char* argv[] = {program.data(), address.data(), nullptr};
        REQUIRE(::posix_spawn(&pid_, argv[0], &actions, nullptr, argv, environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        ::close(out[1]);
        output_ = out[0];
        metalio::test::LineReader lines(output_);
        const std::string line = lines.next_line();
        const auto colon = line.rfind(':');
        REQUIRE_MESSAGE(colon != std::string::npos, "the server did not print its port: '", line, "'");
        port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
    }
    ~Server() {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
        ::close(output_);
    }
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    int connect() const {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port_);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd >= 0);
        REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0);
        return fd;
    }

private:
    pid_t pid_ = -1;
    int output_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace

TEST_CASE("stage10_echo_server: 50 connections at once, each gets back exactly what it sent, large messages too") {
    if (uring_test::skip()) return;
    const Server server;
    std::vector<int> clients;
    for (int i = 0; i < 50; ++i) clients.push_back(server.connect());
    // 20 000 bytes: more than one 4096-byte recv, so the server loops.
    for (std::size_t i = 0; i < clients.size(); ++i) {
        std::string message(20000, static_cast<char>('a' + i % 26));
        message += std::to_string(i);
        REQUIRE(::send(clients[i], message.data(), message.size(), 0) == static_cast<ssize_t>(message.size()));
        std::string echoed(message.size(), '\0');
        std::size_t got = 0;
        while (got < echoed.size()) {
            const ssize_t n = ::recv(clients[i], echoed.data() + got, echoed.size() - got, 0);
            REQUIRE(n > 0);
            got += static_cast<std::size_t>(n);
        }
        CHECK(echoed == message);
    }
    for (int fd : clients) ::close(fd);
}
