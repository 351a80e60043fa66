// The client side of the C10K test, run as its own process so the server's
// process holds only its own 10,000 ends. Deliberately plain: raw sockets
// and epoll, no metalio, so a bug in metalio cannot hide itself on both ends.
//
//   c10k_client <port> <connections> <window> <timeout seconds>
//
// 1. Opens <connections> TCP connections to 127.0.0.1:<port>, never more
//    than <window> at a time still waiting for the server's one-byte
//    greeting '+' (so the server's accept queue never overflows). A greeting
//    proves the server accepted and registered that connection.
// 2. Only when ALL connections are open and greeted: sends on each a 64-byte
//    message unique to that connection.
// 3. Reads the echo of each and compares it byte for byte; any missing,
//    extra, changed or swapped byte fails.
// 4. Closes everything, prints one summary line and exits 0; on any problem
//    it prints what went wrong to stderr and exits 1.
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr std::size_t kMessageSize = 64;

enum class State { waiting_for_greeting, greeted, echoed };

struct Connection {
    int fd = -1;
    State state = State::waiting_for_greeting;
    std::size_t received = 0;
    char echo[kMessageSize] = {};
};

/// The message of connection @p index: its number, then characters that
/// depend on both the index and the position. The step (5) is coprime to the
/// alphabet's 62, so no character repeats within one message: any swap of
/// two bytes, and any byte from another connection, shows.
std::string message_for(std::size_t index) {
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    char head[32];
    std::snprintf(head, sizeof head, "c10k %06zu ", index);
    std::string message(head);
    while (message.size() < kMessageSize) {
        message += kAlphabet[(index * 7 + message.size() * 5) % 62];
    }
    return message;
}

[[noreturn]] void fail(const char* format, auto... args) {
    std::fprintf(stderr, "c10k client: ");
    std::fprintf(stderr, format, args...);
    std::fprintf(stderr, "\n");
    std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) fail("usage: c10k_client <port> <connections> <window> <timeout seconds>");
    const auto port = static_cast<std::uint16_t>(std::atoi(argv[1]));
    const auto count = static_cast<std::size_t>(std::atol(argv[2]));
    const auto window = static_cast<std::size_t>(std::atol(argv[3]));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(std::atoi(argv[4]));

    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) fail("getrlimit: %s", std::strerror(errno));
    if (limit.rlim_max < count + 64) {
        fail("the hard limit of open files is %llu, the client needs %zu", static_cast<unsigned long long>(limit.rlim_max),
             count + 64);
    }
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) fail("setrlimit: %s", std::strerror(errno));

    const int ep = ::epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) fail("epoll_create1: %s", std::strerror(errno));
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    std::vector<Connection> connections(count);
    std::vector<epoll_event> events(1024);
    // No progress for this long means something was lost (a greeting, or
    // bytes of an echo): fail now with details rather than at the deadline.
    constexpr auto kStall = std::chrono::seconds(10);
    auto last_progress = std::chrono::steady_clock::now();
    auto stalled = [&](const char* phase) {
        if (std::chrono::steady_clock::now() - last_progress < kStall) return;
        for (std::size_t index = 0; index < count; ++index) {
            const Connection& connection = connections[index];
            if (connection.fd >= 0 && connection.state != State::echoed &&
                (connection.state == State::waiting_for_greeting) == (phase[0] == 'g')) {
                fail("no progress for 10 s while waiting for %s; e.g. connection %zu has %zu of %zu echoed bytes",
                     phase, index, connection.received, kMessageSize);
            }
        }
        fail("no progress for 10 s while waiting for %s", phase);
    };
    auto wait = [&]() -> std::size_t {
        if (std::chrono::steady_clock::now() > deadline) return SIZE_MAX;
        const int ready = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 200);
        if (ready < 0 && errno != EINTR) fail("epoll_wait: %s", std::strerror(errno));
        return ready < 0 ? 0 : static_cast<std::size_t>(ready);
    };

    // 1. Open all, at most `window` waiting for their greeting.
    std::size_t opened = 0;
    std::size_t greeted = 0;
    while (greeted < count) {
        while (opened < count && opened - greeted < window) {
            const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) fail("socket for connection %zu: %s", opened, std::strerror(errno));
            if (::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0 && errno != EINPROGRESS) {
                fail("connect of connection %zu: %s", opened, std::strerror(errno));
            }
            epoll_event event{};
            event.events = EPOLLIN;
            event.data.u64 = opened;
            if (::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &event) != 0) fail("epoll_ctl: %s", std::strerror(errno));
            connections[opened].fd = fd;
            ++opened;
        }
        const std::size_t ready = wait();
        if (ready == SIZE_MAX) fail("timed out with %zu of %zu connections greeted", greeted, count);
        if (ready == 0) stalled("greetings");
        for (std::size_t e = 0; e < ready; ++e) {
            const std::size_t index = events[e].data.u64;
            Connection& connection = connections[index];
            if (connection.state != State::waiting_for_greeting) {
                fail("connection %zu got data before it sent anything", index);
            }
            char greeting = 0;
            const ssize_t got = ::read(connection.fd, &greeting, 1);
            if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (got < 0) fail("connection %zu failed before its greeting: %s", index, std::strerror(errno));
            if (got == 0) fail("the server closed connection %zu before greeting it", index);
            if (greeting != '+') fail("connection %zu: the greeting is '%c', not '+'", index, greeting);
            connection.state = State::greeted;
            ++greeted;
            last_progress = std::chrono::steady_clock::now();
        }
    }
    std::fprintf(stderr, "c10k client: all %zu connections are open and greeted\n", count);

    // 2. All are open: now each sends its message.
    std::size_t sent = 0;
    for (std::size_t index = 0; index < count; ++index) {
        const std::string message = message_for(index);
        const ssize_t written = ::send(connections[index].fd, message.data(), message.size(), MSG_NOSIGNAL);
        if (written != static_cast<ssize_t>(message.size())) {
            fail("connection %zu: sending %zu bytes on an idle socket returned %zd (%s)", index, message.size(),
                 written, written < 0 ? std::strerror(errno) : "short");
        }
        sent += message.size();
    }

    // 3. Every echo must be exactly the message.
    last_progress = std::chrono::steady_clock::now();
    std::size_t echoed = 0;
    std::size_t received = 0;
    while (echoed < count) {
        const std::size_t ready = wait();
        if (ready == SIZE_MAX) fail("timed out with %zu of %zu echoes complete", echoed, count);
        if (ready == 0) stalled("echoes");
        for (std::size_t e = 0; e < ready; ++e) {
            const std::size_t index = events[e].data.u64;
            Connection& connection = connections[index];
            char buffer[2 * kMessageSize];
            const ssize_t got = ::read(connection.fd, buffer, sizeof buffer);
            if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (got < 0) fail("connection %zu: read: %s", index, std::strerror(errno));
            if (got == 0) fail("connection %zu: the server closed it after %zu echoed bytes", index, connection.received);
            if (connection.state == State::echoed || connection.received + static_cast<std::size_t>(got) > kMessageSize) {
                fail("connection %zu: the server sent back more bytes than were sent", index);
            }
            std::memcpy(connection.echo + connection.received, buffer, static_cast<std::size_t>(got));
            connection.received += static_cast<std::size_t>(got);
            received += static_cast<std::size_t>(got);
            last_progress = std::chrono::steady_clock::now();
            if (connection.received < kMessageSize) continue;
            const std::string expected = message_for(index);
            if (std::memcmp(connection.echo, expected.data(), kMessageSize) != 0) {
                std::size_t at = 0;
                while (connection.echo[at] == expected[at]) ++at;
                fail("connection %zu: byte %zu of the echo is '%c', expected '%c' (echo \"%.64s\")", index, at,
                     connection.echo[at], expected[at], connection.echo);
            }
            connection.state = State::echoed;
            ++echoed;
        }
    }

    // 4. Done: close all, report.
    for (const Connection& connection : connections) ::close(connection.fd);
    ::close(ep);
    std::printf("client: connections=%zu greeted=%zu echoed=%zu bytes_sent=%zu bytes_received=%zu\n", count, greeted,
                echoed, sent, received);
    return 0;
}
