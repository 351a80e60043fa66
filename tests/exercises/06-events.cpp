// Tests of exercise 06 (ChatServer: broadcast with backpressure). Each
// message says what to change. The clients are plain non-blocking sockets
// of the test; the server runs one turn() at a time in the same thread.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#if METALIO_SELECTOR_EPOLL
#include <sys/epoll.h>  // the selector's interests are read from epoll only
#endif

#include <cerrno>
#include <chrono>
#include <fstream>
#include <algorithm>
#include <cstdint>
#include <functional>
#include <sstream>
#include <string>

#include "exercise.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio_test.hpp"

using namespace std::chrono_literals;
using metalio::exercise::ChatServer;
using metalio::sys::OwnedFd;

namespace {

constexpr std::size_t kPlenty = 64 * 1024 * 1024;  // a limit no test reaches

ChatServer make_server(std::size_t max_pending = kPlenty) {
    auto addr = metalio::net::SocketAddr::parse("127.0.0.1:0");
    REQUIRE(addr.has_value());
    auto server = ChatServer::bind(*addr, max_pending);
    REQUIRE_MESSAGE(server.has_value(), "ChatServer::bind failed: ", metalio::test::why(server));
    return std::move(*server);
}

// A client: a non-blocking socket connected to the server, and every byte
// it has received so far.
struct Client {
    OwnedFd fd{-1};
    std::string received;
    bool closed = false;  // end-of-file or reset seen

    void pull() {
        char buffer[65536];
        for (;;) {
            const auto got = ::read(fd.get(), buffer, sizeof buffer);
            if (got > 0) {
                received.append(buffer, static_cast<std::size_t>(got));
                continue;
            }
            if (got == 0 || (errno != EAGAIN && errno != EINTR)) closed = true;
            if (got == -1 && errno == EINTR) continue;
            return;
        }
    }
    // Writes what the socket takes of `data` from `offset`, at most `most`
    // bytes; returns the new offset.
    std::size_t push(const std::string& data, std::size_t offset, std::size_t most = SIZE_MAX) const {
        const std::size_t end = offset + std::min(most, data.size() - offset);
        while (offset < end) {
            const auto put = ::send(fd.get(), data.data() + offset, end - offset, MSG_NOSIGNAL);
            if (put <= 0) break;
            offset += static_cast<std::size_t>(put);
        }
        return offset;
    }
};

Client connect_to(const ChatServer& server, int receive_buffer = 0) {
    const auto addr = server.local_addr();
    REQUIRE_MESSAGE(addr.has_value(), "local_addr() failed: ", metalio::test::why(addr));
    Client client;
    client.fd = OwnedFd(::socket(AF_INET, SOCK_STREAM, 0));  // no SOCK_CLOEXEC: macOS lacks it, and this test starts no program
    REQUIRE(client.fd.get() >= 0);
    if (receive_buffer > 0) {
        REQUIRE(::setsockopt(client.fd.get(), SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer) == 0);
    }
    const auto raw = addr->to_raw();
    // Completes through the listen backlog, before the server accepts.
    REQUIRE(::connect(client.fd.get(), raw.get(), raw.length) == 0);
    REQUIRE(::fcntl(client.fd.get(), F_SETFL, O_NONBLOCK) == 0);
    return client;
}

// Turns the server (and runs `step`, the clients' side) until `done`
// holds. Gives up after 300 turns in a row in which `progress` (say, the
// bytes received so far) did not change: each turn waits at most 10 ms, so
// a stalled server fails in about 3 s, and a slow machine only makes the
// turns slower, never the test wrong.
bool turn_until(ChatServer& server, const std::function<bool()>& done, const std::function<void()>& step = [] {},
                const std::function<std::size_t()>& progress = [] { return std::size_t{0}; }) {
    std::size_t last = progress();
    for (int idle = 0; idle < 300; ++idle) {
        step();
        if (done()) return true;
        const auto turned = server.turn(10ms);
        REQUIRE_MESSAGE(turned.has_value(), "turn() failed: ", metalio::test::why(turned));
        if (const std::size_t now = progress(); now != last) {
            last = now;
            idle = 0;
        }
    }
    step();
    return done();
}

std::string pattern(std::size_t size) {
    std::string data(size, '\0');
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
    return data;
}

#if METALIO_SELECTOR_EPOLL
// The interests the server's epoll instance holds for each registered fd
// (Linux: /proc/self/fdinfo of the epoll fd lists "tfd: N events: MASK").
std::vector<std::uint32_t> epoll_masks(int epoll_fd) {
    std::ifstream info("/proc/self/fdinfo/" + std::to_string(epoll_fd));
    std::vector<std::uint32_t> masks;
    std::string line;
    while (std::getline(info, line)) {
        if (line.rfind("tfd:", 0) != 0) continue;
        std::istringstream fields(line);
        std::string word;
        while (fields >> word) {
            if (word == "events:") {
                fields >> std::hex >> word;
                masks.push_back(static_cast<std::uint32_t>(std::stoul(word, nullptr, 16)));
            }
        }
    }
    return masks;
}

std::size_t registrations_asking_writable(const ChatServer& server) {
    std::size_t count = 0;
    for (const auto mask : epoll_masks(server.poll().as_raw_fd())) count += (mask & EPOLLOUT) != 0 ? 1 : 0;
    return count;
}
#endif

}  // namespace

TEST_CASE("what one client sends reaches every other client, and not the sender") {
    ChatServer server = make_server();
    Client a = connect_to(server);
    Client b = connect_to(server);
    Client c = connect_to(server);
    REQUIRE_MESSAGE(turn_until(server, [&] { return server.clients() == 3; }),
                    "three clients connected, but clients() says ", server.clients(),
                    ": accept every waiting connection on one event (until WouldBlock)");
    const std::string hello = "hello from a\n";
    REQUIRE(a.push(hello, 0) == hello.size());
    const bool delivered = turn_until(
        server, [&] { return b.received == hello && c.received == hello; }, [&] { a.pull(); b.pull(); c.pull(); });
    CHECK_MESSAGE(delivered, "a sent \"hello from a\\n\"; b received \"", b.received, "\" and c \"", c.received,
                  "\": queue what a client sends for every other client and send it");
    for (int i = 0; i < 5; ++i) REQUIRE(server.turn(1ms).has_value());
    a.pull();
    CHECK_MESSAGE(a.received.empty(), "the sender got its own message back: send to the *other* clients only");
}

TEST_CASE("a client that leaves is dropped, and the others go on") {
    const metalio::test::FdLeakCheck no_leak;
    ChatServer server = make_server();
    Client a = connect_to(server);
    Client b = connect_to(server);
    Client c = connect_to(server);
    REQUIRE(turn_until(server, [&] { return server.clients() == 3; }));
    b.fd = OwnedFd(-1);  // b closes its socket
    CHECK_MESSAGE(turn_until(server, [&] { return server.clients() == 2; }),
                  "b closed its connection, but clients() still says ", server.clients(),
                  ": a read of 0 bytes means the peer closed; drop that client (and deregister it)");
    REQUIRE(a.push("still here\n", 0) == 11);
    CHECK_MESSAGE(turn_until(server, [&] { return c.received == "still here\n"; }, [&] { c.pull(); }),
                  "after b left, c did not receive what a sent (received \"", c.received, "\")");
}

TEST_CASE("bytes sent just before closing are still delivered") {
    ChatServer server = make_server();
    Client a = connect_to(server);
    Client b = connect_to(server);
    REQUIRE(turn_until(server, [&] { return server.clients() == 2; }));
    // Sent and closed before the server looks: one event says readable
    // *and* read-closed.
    REQUIRE(a.push("last words\n", 0) == 11);
    a.fd = OwnedFd(-1);
    const bool delivered = turn_until(server, [&] { return b.received == "last words\n"; }, [&] { b.pull(); });
    CHECK_MESSAGE(delivered, "a sent \"last words\\n\" and closed; b received \"", b.received,
                  "\": an event can say readable and read-closed at once; read what is there first "
                  "(the close is the read of 0 bytes at the end)");
    CHECK_MESSAGE(turn_until(server, [&] { return server.clients() == 1; }),
                  "a closed its connection, but clients() still says ", server.clients());
}

TEST_CASE("much more than a socket buffer: everything arrives, in order") {
    ChatServer server = make_server();
    Client a = connect_to(server);
    Client b = connect_to(server);
    REQUIRE(turn_until(server, [&] { return server.clients() == 2; }));
    const std::string data = pattern(4 * 1024 * 1024);
    std::size_t sent = 0;
    const bool delivered = turn_until(
        server, [&] { return b.received.size() >= data.size(); },
        [&] {
            sent = a.push(data, sent);
            b.pull();
        },
        [&] { return b.received.size(); });
    CHECK_MESSAGE(delivered, "a sent 4 MiB; b received ", b.received.size(),
                  " bytes and then nothing more: with edge-triggered events, read until WouldBlock on every "
                  "readable event and write until WouldBlock on every writable one, or the rest waits for an "
                  "event that never comes");
    CHECK_MESSAGE(b.received == data.substr(0, b.received.size()), "b received the bytes out of order or altered");
}

TEST_CASE("WRITABLE is asked for only while a client's queue is not empty") {
#if METALIO_SELECTOR_EPOLL
    ChatServer server = make_server();
    Client a = connect_to(server);
    Client fast = connect_to(server);
    Client slow = connect_to(server, 4096);  // a small window, and it does not read yet
    REQUIRE(turn_until(server, [&] { return server.clients() == 3; }));
    for (int i = 0; i < 3; ++i) REQUIRE(server.turn(1ms).has_value());
    CHECK_MESSAGE(registrations_asking_writable(server) == 0,
                  "nothing is queued, yet the epoll instance holds WRITABLE for ",
                  registrations_asking_writable(server), " registrations: register clients READABLE only, "
                  "and add WRITABLE when their queue becomes non-empty");
    // More than the kernel buffers for one connection (Linux grows a send
    // buffer up to net.ipv4.tcp_wmem's last figure, 4 MiB by default).
    const std::string data = pattern(16 * 1024 * 1024);
    std::size_t sent = 0;
    REQUIRE_MESSAGE(turn_until(
                        server, [&] { return fast.received.size() >= data.size(); },
                        [&] {
                            sent = a.push(data, sent);
                            fast.pull();
                        },
                        [&] { return fast.received.size(); }),
                    "a sent 16 MiB, the fast client received only ", fast.received.size(),
                    " bytes: a client that does not read must not hold up the others");
    CHECK_MESSAGE(registrations_asking_writable(server) == 1,
                  "the slow client has bytes waiting, so exactly its registration should ask for WRITABLE; ",
                  registrations_asking_writable(server), " do: reregister with READABLE | WRITABLE when a queue "
                  "becomes non-empty, and with READABLE alone once it is sent");
    REQUIRE_MESSAGE(turn_until(
                        server, [&] { return slow.received.size() >= data.size(); }, [&] { slow.pull(); },
                        [&] { return slow.received.size(); }),
                    "the slow client started reading but received only ", slow.received.size(),
                    " bytes of 16 MiB: send the rest on its writable events");
    CHECK(slow.received == data);
    for (int i = 0; i < 3; ++i) REQUIRE(server.turn(1ms).has_value());
    CHECK_MESSAGE(registrations_asking_writable(server) == 0,
                  "every queue is empty again, but ", registrations_asking_writable(server),
                  " registrations still ask for WRITABLE: reregister READABLE alone when a queue has been sent");
#else
    MESSAGE("the selector's interests are read from /proc/self/fdinfo of an epoll fd: checked in epoll builds");
#endif
}

TEST_CASE("a client that does not read is cut off at max_pending; the others are not slowed") {
    const metalio::test::FdLeakCheck no_leak;
    // The sender sends 64 KiB per turn and the fast client reads every
    // turn, so its queue stays far below the limit; the stuck one's grows.
    constexpr std::size_t kLimit = 1024 * 1024;
    ChatServer server = make_server(kLimit);
    Client a = connect_to(server);
    Client fast = connect_to(server);
    Client stuck = connect_to(server, 4096);  // never reads
    REQUIRE(turn_until(server, [&] { return server.clients() == 3; }));
    const std::string data = pattern(16 * 1024 * 1024);  // more than the kernel buffers
    std::size_t sent = 0;
    const bool delivered = turn_until(
        server, [&] { return fast.received.size() >= data.size(); },
        [&] {
            sent = a.push(data, sent, 64 * 1024);
            fast.pull();
        },
        [&] { return fast.received.size(); });
    CHECK_MESSAGE(delivered, "the fast client received only ", fast.received.size(), " bytes of 16 MiB");
    CHECK_MESSAGE(server.clients() == 2, "a client read nothing while 16 MiB were sent to it, and it is still "
                  "connected: once more than max_pending (1 MiB) bytes wait for a client, disconnect it");
}
