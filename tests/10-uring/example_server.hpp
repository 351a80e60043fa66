// Stage 10 tests: an example program started as a server on a port of the
// system's choice, and plain blocking clients to talk to it.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cctype>
#include <string>

#include "line_reader.hpp"
#include "uring_test.hpp"

extern char** environ;

namespace uring_test {

/// Starts @p program with the argument 127.0.0.1:0 and finds its port in
/// the first line of its stdout that ends with one (a "listening on
/// 127.0.0.1:PORT" or a " $ nc -N 127.0.0.1 PORT"); killed at the end.
class ExampleServer {
public:
    explicit ExampleServer(std::string program) {
        int out[2];
        REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        std::string address = "127.0.0.1:0";
        char* argv[] = {program.data(), address.data(), nullptr};
        REQUIRE(::posix_spawn(&pid_, argv[0], &actions, nullptr, argv, environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        ::close(out[1]);
        output_ = out[0];
        lines_ = metalio::test::LineReader(output_);
        for (int line_number = 0; line_number < 10 && port_ == 0; ++line_number) {
            const std::string line = lines_.next_line();
            REQUIRE_MESSAGE(!line.empty(), "the server did not print its port");
            std::size_t digits = line.size();
            while (digits > 0 && std::isdigit(static_cast<unsigned char>(line[digits - 1])) != 0) --digits;
            if (digits < line.size() && digits > 0 && (line[digits - 1] == ':' || line[digits - 1] == ' ')) {
                port_ = static_cast<std::uint16_t>(std::stoi(line.substr(digits)));
            }
        }
        REQUIRE_MESSAGE(port_ != 0, "no port in the server's first lines");
    }
    ~ExampleServer() {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
        ::close(output_);
    }
    ExampleServer(const ExampleServer&) = delete;
    ExampleServer& operator=(const ExampleServer&) = delete;

    /// A blocking client connected to the server.
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
    /// The next line the server prints ("" after 10 s of silence).
    std::string next_line() { return lines_.next_line(); }

private:
    pid_t pid_ = -1;
    int output_ = -1;
    std::uint16_t port_ = 0;
    metalio::test::LineReader lines_;
};

/// Reads from @p fd until @p count bytes came or the peer closed.
inline std::string receive(int fd, std::size_t count) {
    std::string got(count, '\0');
    std::size_t have = 0;
    while (have < count) {
        const ssize_t n = ::recv(fd, got.data() + have, count - have, 0);
        if (n <= 0) break;
        have += static_cast<std::size_t>(n);
    }
    got.resize(have);
    return got;
}

}  // namespace uring_test
