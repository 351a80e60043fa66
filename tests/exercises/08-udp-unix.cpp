// Tests of exercise 08 (ask: a UDP question with retries, a deadline and
// ids). A scripted server runs on a thread of its own; each message says
// what to change.
#include <poll.h>

#include <atomic>
#include <cstdio>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "exercise.hpp"
#include "metalio/events.hpp"
#include "metalio/poll.hpp"
#include "metalio_test.hpp"
#include "socket_addrs.hpp"

using namespace std::chrono_literals;
using metalio::Interest;
using metalio::Token;
using metalio::exercise::ask;
using metalio::exercise::Retry;
using metalio::net::SocketAddr;
using metalio::net::UdpSocket;
using Clock = std::chrono::steady_clock;

namespace {

std::string id_bytes(std::uint32_t id) {
    return {static_cast<char>(id >> 24), static_cast<char>(id >> 16), static_cast<char>(id >> 8),
            static_cast<char>(id)};
}

// An answer datagram as the protocol has it: the id, then the answer.
std::string answer(std::uint32_t id, const std::string& text) { return id_bytes(id) + text; }

std::string hex(std::uint32_t id) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", static_cast<unsigned>(id));
    return text;
}

std::span<const std::byte> bytes(const std::string& text) { return std::as_bytes(std::span(text)); }

// One request as the server received it.
struct Request {
    std::size_t size = 0;  // of the whole datagram
    std::uint32_t id = 0;  // valid when size >= 4
    std::string question;
};

// A UDP server on 127.0.0.1 that runs `script` for every request it receives
// and sends back the datagrams it returns (none: the request is "lost").
class Server {
public:
    using Script = std::function<std::vector<std::string>(const Request& request, int nth)>;

    explicit Server(Script script) : script_(std::move(script)) {
        auto bound = UdpSocket::bind(metalio::test::localhost_v4());
        REQUIRE(bound.has_value());
        socket_.emplace(std::move(*bound));
        const auto address = socket_->local_addr();
        REQUIRE(address.has_value());
        address_ = *address;
        thread_ = std::thread([this] { serve(); });
    }
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;
    ~Server() { stop(); }

    [[nodiscard]] const SocketAddr& address() const { return address_; }

    // Sends @p datagram to @p client now, as if it were an old answer.
    void send_to(const std::string& datagram, const SocketAddr& client) {
        REQUIRE(socket_->send_to(bytes(datagram), client));
    }

    // Stops the thread and returns every request received, those still
    // queued included.
    std::vector<Request> stop() {
        if (thread_.joinable()) {
            stopping_ = true;
            thread_.join();
            receive(false);
        }
        return requests_;
    }

private:
    void serve() {
        while (!stopping_) {
            pollfd entry{socket_->as_raw_fd(), POLLIN, 0};
            if (::poll(&entry, 1, 10) == 1) receive(true);
        }
    }

    void receive(bool reply) {
        std::vector<std::byte> buffer(65'536);
        for (;;) {
            const auto got = socket_->recv_from(buffer);
            if (!got) return;  // WouldBlock: all taken
            const auto [size, client] = *got;
            Request request;
            request.size = size;
            const auto* data = reinterpret_cast<const unsigned char*>(buffer.data());
            if (size >= 4) {
                request.id = (std::uint32_t{data[0]} << 24) | (std::uint32_t{data[1]} << 16) |
                             (std::uint32_t{data[2]} << 8) | std::uint32_t{data[3]};
                request.question.assign(reinterpret_cast<const char*>(data) + 4, size - 4);
            }
            requests_.push_back(request);
            if (!reply) continue;
            for (const auto& datagram : script_(request, static_cast<int>(requests_.size()))) {
                (void)socket_->send_to(bytes(datagram), client);
            }
        }
    }

    Script script_;
    std::optional<UdpSocket> socket_;
    SocketAddr address_ = metalio::test::localhost_v4();
    std::atomic<bool> stopping_{false};
    std::vector<Request> requests_;  // the thread's until stop() joined it
    std::thread thread_;
};

// A client socket bound to 127.0.0.1 and connected to @p server.
UdpSocket client_of(const SocketAddr& server) {
    auto socket = UdpSocket::bind(metalio::test::localhost_v4());
    REQUIRE(socket.has_value());
    REQUIRE(socket->connect(server));
    return std::move(*socket);
}

SocketAddr address_of(const UdpSocket& socket) {
    const auto address = socket.local_addr();
    REQUIRE(address.has_value());
    return *address;
}

// Each request must hold the id, big-endian, and the question.
void check_requests(const std::vector<Request>& requests, std::uint32_t id, const std::string& question) {
    for (const auto& request : requests) {
        REQUIRE_MESSAGE(request.size >= 4, "the server received a ", request.size,
                        "-byte datagram: a request starts with the 4 bytes of its id");
        REQUIRE_MESSAGE(request.id == id, "the server read the id ", hex(request.id), " where ", hex(id),
                        " was asked for: the id goes first, in network byte order (big-endian, most "
                        "significant byte first)");
        REQUIRE_MESSAGE(request.question == question, "the server read the question \"", request.question,
                        "\", not \"", question, "\": the question follows the id, every byte of it");
    }
}

std::vector<std::string> answers_with(const std::string& prefix, const Request& request) {
    return {answer(request.id, prefix + request.question)};
}

}  // namespace

TEST_CASE("a question gets its answer") {
    const metalio::test::FdLeakCheck no_leak;
    Server server([](const Request& request, int) { return answers_with("re: ", request); });
    const UdpSocket socket = client_of(server.address());
    const auto got = ask(socket, 0x01020304, "hello", Retry{5s, 3});
    const auto requests = server.stop();
    REQUIRE_MESSAGE(!requests.empty(), "the server received no request: send it with socket.send (the socket is "
                    "connected to the server)");
    check_requests(requests, 0x01020304, "hello");
    REQUIRE_MESSAGE(got.has_value(), "ask() failed: ", metalio::test::why(got),
                    " (the server answered at once: register the socket for READABLE and poll)");
    CHECK_MESSAGE(*got == "re: hello", "the answer is what follows the 4 bytes of id in the server's datagram");
}

TEST_CASE("an empty answer and one as long as UDP allows both come back whole") {
    const metalio::test::FdLeakCheck no_leak;
    // 65,507 bytes, the most UDP over IPv4 carries, of which 4 are the id.
    std::string longest(65'503, '\0');
    for (std::size_t i = 0; i < longest.size(); ++i) longest[i] = static_cast<char>('a' + i % 26);
    Server server([&](const Request& request, int) {
        return std::vector{answer(request.id, request.question == "long" ? longest : "")};
    });
    {
        const UdpSocket socket = client_of(server.address());
        const auto got = ask(socket, 7, "empty", Retry{5s, 3});
        REQUIRE_MESSAGE(got.has_value(), "the answer was only its 4-byte id, an empty answer, which is an answer: ",
                        metalio::test::why(got));
        CHECK(got->empty());
    }
    const UdpSocket socket = client_of(server.address());
    const auto got = ask(socket, 8, "long", Retry{5s, 3});
    REQUIRE_MESSAGE(got.has_value(), "ask() failed: ", metalio::test::why(got));
    CHECK_MESSAGE(got->size() == longest.size(), "the answer came back with ", got->size(), " of its ",
                  longest.size(), " bytes: a datagram longer than the receive buffer is cut, and the kernel "
                  "throws the rest away. Receive into a buffer as large as the largest UDP payload");
    const bool same = *got == longest;  // (not CHECK(a == b): it would print 65,503 bytes twice)
    CHECK_MESSAGE(same, "the answer has the right length but not the bytes the server sent");
}

TEST_CASE("a lost request is sent again, with the same id, after its interval") {
    const metalio::test::FdLeakCheck no_leak;
    // The first two requests are "lost": only the third gets an answer.
    Server server([](const Request& request, int nth) {
        return nth < 3 ? std::vector<std::string>{} : answers_with("third time: ", request);
    });
    const UdpSocket socket = client_of(server.address());
    const auto got = ask(socket, 42, "anyone?", Retry{100ms, 3});
    const auto requests = server.stop();
    check_requests(requests, 42, "anyone?");
    REQUIRE_MESSAGE(got.has_value(), "the server answers only the third request, and ", requests.size(),
                    " came: ", metalio::test::why(got), ". When an interval passes without an answer, send "
                    "the same request again, up to retry.attempts times");
    CHECK(*got == "third time: anyone?");
    CHECK(requests.size() == 3);
}

TEST_CASE("no answer at all: timed_out after every attempt had its whole interval") {
    const metalio::test::FdLeakCheck no_leak;
    Server server([](const Request&, int) { return std::vector<std::string>{}; });
    const UdpSocket socket = client_of(server.address());
    const auto start = Clock::now();
    const auto got = ask(socket, 5, "hello?", Retry{100ms, 3});
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    const auto requests = server.stop();
    check_requests(requests, 5, "hello?");
    REQUIRE_FALSE_MESSAGE(got.has_value(), "nobody answered, yet ask() returned \"", got.value_or(""), "\"");
    CHECK_MESSAGE(got.error() == std::errc::timed_out, "give up with std::errc::timed_out, got: ",
                  metalio::test::why(got));
    CHECK_MESSAGE(requests.size() == 3, "retry.attempts is 3: send the request 3 times in all, not ",
                  requests.size());
    CHECK_MESSAGE(took >= 300ms, "ask() gave up after ", took.count(), " ms: 3 attempts of 100 ms each take at "
                  "least 300 ms");
}

TEST_CASE("what is not the answer is skipped, however much of it waits behind one event") {
    const metalio::test::FdLeakCheck no_leak;
    constexpr std::uint32_t id = 1000;
    Server server([](const Request& request, int) { return answers_with("re: ", request); });
    const UdpSocket socket = client_of(server.address());
    // Queued before ask() is called: late answers to earlier requests, a
    // copy of one, a datagram too short for an id, empty ones. All of them
    // are announced by a single readable event, or by none at all.
    const SocketAddr client = address_of(socket);
    server.send_to(answer(id - 1, "stale"), client);
    server.send_to("\x03\xe8", client);
    server.send_to("", client);
    server.send_to(answer(id + 1, "not yet asked"), client);
    server.send_to(answer(id - 1, "stale"), client);
    server.send_to("", client);
    const auto got = ask(socket, id, "now", Retry{300ms, 2});
    const auto requests = server.stop();
    check_requests(requests, id, "now");
    if (got.has_value()) {
        CHECK_MESSAGE(*got == "re: now", "ask() returned \"", *got, "\", a datagram that was queued before "
                      "the request was even sent: compare each datagram's first 4 bytes with the id, and skip "
                      "the ones that differ (or are shorter than an id)");
    } else {
        FAIL_CHECK("ask() failed: ", metalio::test::why(got), ". The answer came right away, behind 6 datagrams "
                   "that are not the answer. An edge-triggered event stands for arrivals, not for datagrams: "
                   "each time, receive until WouldBlock (and a 0-byte datagram is an empty datagram, not the "
                   "end), or the answer stays queued with no new event to announce it");
    }
}

TEST_CASE("a datagram that is not the answer neither ends an attempt nor starts it again") {
    const metalio::test::FdLeakCheck no_leak;
    // Every request gets one reply at once, the answer to another id.
    Server server([](const Request& request, int) { return std::vector{answer(request.id + 1, "not yours")}; });
    const UdpSocket socket = client_of(server.address());
    const auto start = Clock::now();
    const auto got = ask(socket, 77, "well?", Retry{500ms, 2});
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    const auto requests = server.stop();
    check_requests(requests, 77, "well?");
    REQUIRE_FALSE_MESSAGE(got.has_value(), "the only replies were for id 78, yet ask() for id 77 returned \"",
                          got.value_or(""), "\"");
    CHECK_MESSAGE(got.error() == std::errc::timed_out, "got: ", metalio::test::why(got));
    CHECK_MESSAGE(requests.size() == 2, "retry.attempts is 2, and ", requests.size(), " requests were sent");
    CHECK_MESSAGE(took >= 1000ms, "ask() gave up after ", took.count(), " ms, not after 2 intervals of 500 ms: "
                  "a datagram that is not the answer does not end the attempt. Skip it and poll again for the "
                  "rest of the interval, counted from the send");
}

TEST_CASE("nobody listening: ECONNREFUSED, not timed_out") {
    const metalio::test::FdLeakCheck no_leak;
    SocketAddr gone = metalio::test::localhost_v4();
    {
        const auto closed = UdpSocket::bind(metalio::test::localhost_v4());
        REQUIRE(closed.has_value());
        gone = address_of(*closed);
    }
    const UdpSocket socket = client_of(gone);
    // One attempt: no second send can bring the error back; the wait must.
    const auto got = ask(socket, 9, "hello?", Retry{2s, 1});
    REQUIRE_FALSE_MESSAGE(got.has_value(), "nobody listens on port ", gone.port(), ", yet ask() returned \"",
                          got.value_or(""), "\"");
    CHECK_MESSAGE(got.error() == std::errc::connection_refused,
                  "got: ", metalio::test::why(got), ". The ICMP \"port unreachable\" that comes back is kept on "
                  "the connected socket as ECONNREFUSED: the poll reports an error event (not a readable one), "
                  "and the next receive (or take_error) returns the error. Return it then, instead of waiting "
                  "out the attempt");
}

TEST_CASE("the socket is the caller's again: a second question, with a copy of the first answer still queued") {
    const metalio::test::FdLeakCheck no_leak;
    // The first answer is sent twice, as a server does when a retry crossed
    // its answer: the copy arrives while the second question is asked.
    Server server([](const Request& request, int) {
        auto datagrams = answers_with("re: ", request);
        if (request.question == "first") datagrams.push_back(datagrams.front());
        return datagrams;
    });
    const UdpSocket socket = client_of(server.address());
    const auto first = ask(socket, 1, "first", Retry{2s, 3});
    REQUIRE_MESSAGE(first.has_value(), metalio::test::why(first));
    CHECK(*first == "re: first");
    {
        auto poll = metalio::Poll::create();
        REQUIRE(poll.has_value());
        const auto registered = poll->registry().register_(socket, Token{1}, Interest::READABLE);
        REQUIRE_MESSAGE(registered.has_value(), "after ask() returned, the caller could not register the socket "
                        "with its own Poll: ", metalio::test::why(registered), ". A source remembers the "
                        "selector it is registered with (chapter 03): deregister it from your Poll before "
                        "every return");
        REQUIRE(poll->registry().deregister(socket));
    }
    const auto second = ask(socket, 2, "second", Retry{2s, 3});
    REQUIRE_MESSAGE(second.has_value(), "the second ask() on the same socket failed: ", metalio::test::why(second));
    CHECK_MESSAGE(*second == "re: second", "the second question got \"", *second, "\", the copy of the first "
                  "answer (id 1) that was still queued: take only the datagram with your own id");
    server.stop();
}

TEST_CASE("bad arguments and a failed send are errors, and leave the socket free") {
    const metalio::test::FdLeakCheck no_leak;
    Server server([](const Request& request, int) { return answers_with("re: ", request); });
    const UdpSocket socket = client_of(server.address());
    const auto none = ask(socket, 3, "q", Retry{1s, 0});
    REQUIRE_FALSE_MESSAGE(none.has_value(), "retry.attempts 0 allows no send at all: that is a bad argument");
    CHECK(none.error() == std::errc::invalid_argument);
    const auto negative = ask(socket, 3, "q", Retry{-1ms, 3});
    REQUIRE_FALSE_MESSAGE(negative.has_value(), "a negative interval is a bad argument");
    CHECK(negative.error() == std::errc::invalid_argument);
    // More than a UDP datagram carries: the send fails whole, with EMSGSIZE.
    const std::string huge(70'000, 'x');
    const auto too_big = ask(socket, 4, huge, Retry{1s, 3});
    REQUIRE_FALSE_MESSAGE(too_big.has_value(), "a 70,004-byte request cannot be sent");
    CHECK_MESSAGE(too_big.error() == std::errc::message_size, "return the send's error, got: ",
                  metalio::test::why(too_big));
    const auto requests = server.stop();
    CHECK_MESSAGE(requests.empty(), "the server received ", requests.size(), " request(s): with bad arguments, "
                  "send nothing");
    auto poll = metalio::Poll::create();
    REQUIRE(poll.has_value());
    const auto registered = poll->registry().register_(socket, Token{1}, Interest::READABLE);
    CHECK_MESSAGE(registered.has_value(), "after a failed ask() the caller could not register the socket: ",
                  metalio::test::why(registered), ". Deregister it on the error paths too");
    if (registered) REQUIRE(poll->registry().deregister(socket));
}
