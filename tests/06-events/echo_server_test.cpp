// Stage 06: the echo server program itself, driven through real sockets as
// `nc` would: greeting received, text printed, close noticed, and a peer
// that sends 1 MiB at once loses no byte.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "line_reader.hpp"
#include "metalio_test.hpp"

extern char** environ;

namespace {

// The server as a child process whose stdout we read line by line.
class Server {
public:
    Server() {
        int out[2];
        REQUIRE(metalio::test::pipe(out, false) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        char program[] = METALIO_EXAMPLE_ECHO_SERVER;
        char address[] = "127.0.0.1:0";
        char* argv[] = {program, address, nullptr};
        REQUIRE(::posix_spawn(&pid_, program, &actions, nullptr, argv, environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        ::close(out[1]);
        output_ = out[0];
        lines_ = metalio::test::LineReader(output_);
        // " $ nc -N 127.0.0.1 PORT" tells us where it listens. The -N is
        // needed by Debian's (OpenBSD) nc: only with it does Ctrl-D shut
        // down the connection's write half, which is what the first test
        // below does and what lets a reader see "Connection closed".
        for (int i = 0; i < 4; ++i) {  // the banner's four lines
            const std::string line = next_line();
            if (line.rfind(" $ nc -N ", 0) == 0) port_ = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(' '))));
        }
        REQUIRE_MESSAGE(port_ != 0, "the server did not print the command `nc -N HOST PORT` with its port");
    }
    ~Server() {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        ::close(output_);
    }
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    [[nodiscard]] std::uint16_t port() const { return port_; }

    // The next line the server printed, or "" after 10 s of silence.
    std::string next_line() {
        return lines_.next_line();
    }

private:
    pid_t pid_ = -1;
    int output_ = -1;
    std::uint16_t port_ = 0;
    metalio::test::LineReader lines_;
};

// A plain blocking client, like nc: nothing of metalio on this side.
int connect_to(std::uint16_t port) {
    const int fd = metalio::test::socket(AF_INET, SOCK_STREAM);
    REQUIRE(fd >= 0);
    timeval ten_seconds{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &ten_seconds, sizeof ten_seconds);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    return fd;
}

std::string read_exactly(int fd, std::size_t size) {
    std::string data(size, '\0');
    std::size_t got = 0;
    while (got < size) {
        const ssize_t n = ::read(fd, data.data() + got, size - got);
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    data.resize(got);
    return data;
}

}  // namespace

TEST_CASE("like nc -N: the greeting arrives, typed text is printed, Ctrl-D's half-close is noticed") {
    Server server;
    const int client = connect_to(server.port());
    CHECK(server.next_line().rfind("Accepted connection from: 127.0.0.1:", 0) == 0);
    CHECK(read_exactly(client, 13) == "Hello world!\n");

    REQUIRE(::write(client, "ping\n", 5) == 5);
    CHECK(server.next_line() == "Received data: ping");
    // Ctrl-D in `nc -N`: shut down the write half only; the socket stays open.
    REQUIRE(::shutdown(client, SHUT_WR) == 0);
    CHECK(server.next_line() == "Connection closed");
    // The server dropped the connection, so nc reads end-of-file and exits.
    char byte = 0;
    CHECK(::read(client, &byte, 1) == 0);
    ::close(client);
}

TEST_CASE("like nc without -N, ended by Ctrl-C: closing the socket is noticed too") {
    Server server;
    const int client = connect_to(server.port());
    server.next_line();  // accepted
    CHECK(read_exactly(client, 13) == "Hello world!\n");
    ::close(client);
    CHECK(server.next_line() == "Connection closed");
}

TEST_CASE("two clients at once are told apart by their tokens") {
    Server server;
    const int first = connect_to(server.port());
    const int second = connect_to(server.port());
    CHECK(read_exactly(first, 13) == "Hello world!\n");
    CHECK(read_exactly(second, 13) == "Hello world!\n");
    server.next_line();  // accepted
    server.next_line();  // accepted
    REQUIRE(::write(second, "from two\n", 9) == 9);
    CHECK(server.next_line() == "Received data: from two");
    REQUIRE(::write(first, "from one\n", 9) == 9);
    CHECK(server.next_line() == "Received data: from one");
    ::close(first);
    ::close(second);
    CHECK(server.next_line() == "Connection closed");
    CHECK(server.next_line() == "Connection closed");
}

TEST_CASE("a peer that sends 1 MiB at once loses no byte: the server drains to WouldBlock on every event") {
    Server server;
    const int client = connect_to(server.port());
    server.next_line();  // accepted
    CHECK(read_exactly(client, 13) == "Hello world!\n");

    std::string sent(1 << 20, '\0');
    for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<char>('a' + (i * 31 + i / 1000) % 26);
    std::thread writer([&] {
        std::size_t done = 0;
        while (done < sent.size()) {
            const ssize_t n = ::write(client, sent.data() + done, sent.size() - done);
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        ::shutdown(client, SHUT_WR);
    });
    // Collect what the server prints until it reports the close, or goes
    // silent for 10 s (a server that stops reading would otherwise leave the
    // writer blocked forever).
    std::string printed;
    std::string unexpected;
    for (std::string line = server.next_line(); line != "Connection closed"; line = server.next_line()) {
        if (line.rfind("Received data: ", 0) != 0) {
            unexpected = line.empty() ? "(the server went silent before the close)" : line.substr(0, 80);
            break;
        }
        printed += line.substr(15);
    }
    ::shutdown(client, SHUT_RDWR);  // unblocks the writer if the server stalled
    writer.join();
    ::close(client);
    CHECK_MESSAGE(unexpected.empty(), "unexpected server output: ", unexpected);
    CHECK_MESSAGE(printed.size() == sent.size(), "the server printed ", printed.size(), " of the ", sent.size(),
                  " bytes sent");
    const auto differ = std::mismatch(printed.begin(), printed.end(), sent.begin(), sent.end());
    const bool identical = differ.first == printed.end() && differ.second == sent.end();
    CHECK_MESSAGE(identical, "the printed data differs from what was sent from byte ", differ.first - printed.begin());
}
