// Stage 09: the coroutine echo server, driven by the real `nc` (Debian's
// OpenBSD netcat, `nc -N`) and by plain sockets, with the same expectations
// as the stage-06 server it replaces.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "line_reader.hpp"
#include "metalio_test.hpp"

extern char** environ;

namespace {

// A child process whose stdout we read line by line (and whose stdin we
// may write: `nc` reads what it sends from there).
class Child {
public:
    explicit Child(std::vector<std::string> args) {
        int out[2];
        int in[2];
        REQUIRE(metalio::test::pipe(out, false) == 0);
        REQUIRE(metalio::test::pipe(in, false) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        REQUIRE(::posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        ::close(out[1]);
        ::close(in[0]);
        output_ = out[0];
        lines_ = metalio::test::LineReader(output_);
        input_ = in[1];
    }
    ~Child() {
        close_input();
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            wait();
        }
        ::close(output_);
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    void send(std::string_view text) { REQUIRE(::write(input_, text.data(), text.size()) == static_cast<ssize_t>(text.size())); }
    void close_input() {
        if (input_ >= 0) ::close(std::exchange(input_, -1));
    }
    // Waits for the child to exit; its exit status.
    int wait() {
        int status = 0;
        ::waitpid(std::exchange(pid_, -1), &status, 0);
        return status;
    }

    // The next line printed, or "" after 10 s of silence or at end-of-file.
    std::string next_line() {
        return lines_.next_line();
    }

private:
    pid_t pid_ = -1;
    int output_ = -1;
    int input_ = -1;
    metalio::test::LineReader lines_;
};

// Reads the server's four lines of instructions; returns the port of the
// nc command among them.
std::string start(Child& server) {
    std::string port;
    for (int i = 0; i < 4; ++i) {
        const std::string line = server.next_line();
        if (line.rfind(" $ nc -N ", 0) == 0) port = line.substr(line.rfind(' ') + 1);
    }
    REQUIRE_MESSAGE(!port.empty(), "the server did not print the nc -N command with its port");
    return port;
}

int connect_to(const std::string& port) {
    const int fd = metalio::test::socket(AF_INET, SOCK_STREAM);
    REQUIRE(fd >= 0);
    timeval ten_seconds{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &ten_seconds, sizeof ten_seconds);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(port)));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    return fd;
}

}  // namespace

TEST_CASE("nc -N: the greeting comes back, the typed line is printed, the close is noticed") {
    Child server({METALIO_EXAMPLE_ECHO_SERVER, "127.0.0.1:0"});
    const std::string port = start(server);
    // -N: shut the socket down when stdin ends, so the server sees end-of-file.
    Child nc({"nc", "-N", "127.0.0.1", port});
    CHECK(nc.next_line() == "Hello world!");
    CHECK(server.next_line().rfind("Accepted connection from: 127.0.0.1:", 0) == 0);
    nc.send("hello from nc\n");
    CHECK(server.next_line() == "Received data: hello from nc");
    nc.close_input();
    CHECK(server.next_line() == "Connection closed");
    // The coroutine ended and its stream closed: nc reads end-of-file and exits.
    CHECK(nc.next_line() == "");
    CHECK(nc.wait() == 0);
}

TEST_CASE("two clients at once, each served by its own coroutine") {
    Child server({METALIO_EXAMPLE_ECHO_SERVER, "127.0.0.1:0"});
    const std::string port = start(server);
    const int first = connect_to(port);
    const int second = connect_to(port);
    char greeting[13];
    CHECK(::recv(first, greeting, sizeof greeting, MSG_WAITALL) == 13);
    CHECK(::recv(second, greeting, sizeof greeting, MSG_WAITALL) == 13);
    CHECK(std::string(greeting, 13) == "Hello world!\n");
    server.next_line();
    server.next_line();
    REQUIRE(::write(second, "from two\n", 9) == 9);
    CHECK(server.next_line() == "Received data: from two");
    REQUIRE(::write(first, "from one\n", 9) == 9);
    CHECK(server.next_line() == "Received data: from one");
    ::close(first);
    CHECK(server.next_line() == "Connection closed");
    ::close(second);
    CHECK(server.next_line() == "Connection closed");
}

TEST_CASE("the HTTP hello example answers two keep-alive requests on one connection") {
    Child server({METALIO_EXAMPLE_HTTP_HELLO, "127.0.0.1:0"});
    const std::string line = server.next_line();
    REQUIRE_MESSAGE(line.rfind("listening on 127.0.0.1:", 0) == 0, "unexpected first line: ", line);
    const int client = connect_to(line.substr(line.rfind(':') + 1));
    const std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string two = request + request;
    REQUIRE(::write(client, two.data(), two.size()) == static_cast<ssize_t>(two.size()));
    const std::string response =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello world!\n";
    std::string got(2 * response.size(), '\0');
    CHECK(::recv(client, got.data(), got.size(), MSG_WAITALL) == static_cast<ssize_t>(got.size()));
    CHECK(got == response + response);
    ::close(client);
}
