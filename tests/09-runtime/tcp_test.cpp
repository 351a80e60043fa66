// Stage 09: the awaitable TCP types — echo, many connections at once, a
// timeout in the middle of a read, a peer that leaves in the middle of a
// write, refused connects, and misuse that must give errors, not hangs.
#include <chrono>
#include <string>
#include <vector>

#include "metalio/rt/error.hpp"
#include "metalio/rt/timeout.hpp"
#include "runtime_test.hpp"
#include "selector_facts.hpp"

using namespace std::chrono_literals;
using metalio::net::SocketAddr;
using metalio::rt::Runtime;
using metalio::rt::Task;
using metalio::rt::TcpListener;
using metalio::rt::TcpStream;

namespace {

// Reads until @p size bytes came or end-of-file.
Task<std::string> read_exactly(TcpStream* stream, std::size_t size) {
    std::string data;
    char buffer[65536];
    while (data.size() < size) {
        const std::size_t want = std::min(sizeof buffer, size - data.size());
        auto read = co_await stream->read(std::as_writable_bytes(std::span(buffer, want)));
        if (!read || *read == 0) break;
        data.append(buffer, *read);
    }
    co_return data;
}

Task<std::vector<std::string>> last_bytes_then_close() {
    std::vector<std::string> notes;
    auto pair = co_await rt_test::connected_pair();
    char buffer[64];
    // Park the server's read first, so that the bytes and the FIN arrive
    // in ONE event. The read of "x" is short and clears readiness; the
    // closed half must keep the next read from parking for an edge that
    // already came.
    REQUIRE(metalio::rt::spawn([](TcpStream* client) -> Task<void> {
        // Two turns: the server's read parks, the reactor polls once.
        co_await metalio::rt::YieldNow{};
        co_await metalio::rt::YieldNow{};
        (void)co_await client->write_all("x");
        (void)client->shutdown(metalio::net::Shutdown::Write);
    }(&pair.client)));
    for (int i = 0; i < 2; ++i) {
        auto read = co_await metalio::rt::timeout(5s, pair.server.read(std::as_writable_bytes(std::span(buffer))));
        if (!read) {
            notes.push_back("still waiting after 5 s");
        } else if (!*read) {
            notes.push_back((*read).error().message());
        } else {
            notes.push_back(**read == 0 ? "end-of-file" : std::string(buffer, **read));
        }
    }
    co_return notes;
}

TEST_CASE("the last bytes and the close in one event: the read after the short read sees end-of-file") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, last_bytes_then_close()) == std::vector<std::string>{"x", "end-of-file"});
}

Task<std::string> ping_pong() {
    auto pair = co_await rt_test::connected_pair();
    auto sent = co_await pair.client.write_all("ping");
    CHECK_MESSAGE(sent.has_value(), "write_all: ", metalio::test::why(sent));
    const std::string got = co_await read_exactly(&pair.server, 4);
    auto answered = co_await pair.server.write_all("pong");
    CHECK(answered.has_value());
    co_return got + "/" + co_await read_exactly(&pair.client, 4);
}

TEST_CASE("connect, accept, write_all and read carry bytes both ways") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, ping_pong()) == "ping/pong");
}

// The server side of the many-clients test: echoes each line back.
Task<void> echo(TcpStream stream) {
    char buffer[1024];
    for (;;) {
        auto read = co_await stream.read(std::as_writable_bytes(std::span(buffer)));
        if (!read || *read == 0) co_return;
        if (!co_await stream.write_all(std::as_bytes(std::span(buffer, *read)))) co_return;
    }
}

Task<void> accept_forever(TcpListener* listener) {
    for (;;) {
        auto accepted = co_await listener->accept();
        if (!accepted) co_return;
        REQUIRE(metalio::rt::spawn(echo(std::move(accepted->first))));
    }
}

Task<void> one_client(SocketAddr addr, int number, int* correct) {
    auto stream = co_await TcpStream::connect(addr);
    if (!stream) co_return;
    const std::string message = "client " + std::to_string(number) + " says hello";
    for (int round = 0; round < 3; ++round) {
        if (!co_await stream->write_all(message)) co_return;
        if (co_await read_exactly(&*stream, message.size()) != message) co_return;
    }
    ++*correct;
}

Task<int> many_clients(int count) {
    auto listener = TcpListener::bind(*SocketAddr::parse("127.0.0.1:0"));
    REQUIRE(listener);
    REQUIRE(metalio::rt::spawn(accept_forever(&*listener)));
    int correct = 0;
    const SocketAddr addr = *listener->local_addr();
    for (int i = 0; i < count; ++i) REQUIRE(metalio::rt::spawn(one_client(addr, i, &correct)));
    while (correct < count) co_await metalio::rt::sleep_for(1ms);
    co_return correct;
}

TEST_CASE("two hundred clients at once, each echoed three times, on one thread") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, many_clients(200)) == 200);
}  // the runtime's destructor cancels the accept loop and the echo tasks still parked

Task<std::vector<std::string>> timeout_mid_read() {
    std::vector<std::string> notes;
    auto pair = co_await rt_test::connected_pair();
    char buffer[64];
    // Half a message arrives, then nothing: the first read returns the
    // half, the second is cancelled by its deadline.
    (void)co_await pair.client.write_all("half");
    auto first = co_await pair.server.read(std::as_writable_bytes(std::span(buffer)));
    notes.push_back(first ? std::string(buffer, *first) : first.error().message());
    auto second = co_await metalio::rt::timeout(30ms, pair.server.read(std::as_writable_bytes(std::span(buffer))));
    notes.push_back(second ? "read finished" : second.error() == std::errc::timed_out ? "timed out" : "other error");
    // The cancelled read took nothing: the stream still works.
    (void)co_await pair.client.write_all("rest");
    notes.push_back(co_await read_exactly(&pair.server, 4));
    co_return notes;
}

TEST_CASE("a timeout that fires in the middle of a read leaves the stream usable") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, timeout_mid_read()) == std::vector<std::string>{"half", "timed out", "rest"});
}

// Reads once into @p got: the bytes, or the error's message.
Task<void> read_once_into(TcpStream* stream, std::vector<std::string>* got) {
    char buffer[64];
    auto read = co_await stream->read(std::as_writable_bytes(std::span(buffer)));
    got->push_back(read ? std::string(buffer, *read) : "error: " + read.error().message());
}

// Lets the other tasks and the reactor run until @p got has @p size
// entries (bounded: a bug fails the check instead of hanging).
Task<void> until_size(const std::vector<std::string>* got, std::size_t size) {
    for (int turn = 0; turn < 100000 && got->size() < size; ++turn) co_await metalio::rt::YieldNow{};
}

Task<std::vector<std::string>> two_readers_one_event() {
    auto pair = co_await rt_test::connected_pair();
    std::vector<std::string> got;
    REQUIRE(metalio::rt::spawn(read_once_into(&pair.server, &got)));
    REQUIRE(metalio::rt::spawn(read_once_into(&pair.server, &got)));
    co_await metalio::rt::YieldNow{};  // both readers start and park: nothing to read yet
    // One event wakes both. The first takes the bytes; the second must find
    // the socket empty in its retry and park again, not be resumed.
    (void)co_await pair.client.write_all("first");
    co_await until_size(&got, 1);
    for (int turn = 0; turn < 10; ++turn) co_await metalio::rt::YieldNow{};
    const std::size_t after_one_message = got.size();
    (void)co_await pair.client.write_all("second");
    co_await until_size(&got, 2);
    got.push_back("after the first message: " + std::to_string(after_one_message));
    co_return got;
}

TEST_CASE("two readers woken by one event: the one that finds nothing parks again") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, two_readers_one_event()) ==
          std::vector<std::string>{"first", "second", "after the first message: 1"});
}

Task<void> close_after_a_little(TcpStream stream) {
    char buffer[1024];
    (void)co_await stream.read(std::as_writable_bytes(std::span(buffer)));
    // Dropping the stream with unread bytes closes it with a reset.
}

Task<std::error_code> write_to_leaving_peer() {
    auto pair = co_await rt_test::connected_pair();
    REQUIRE(metalio::rt::spawn(close_after_a_little(std::move(pair.server))));
    const std::string big(64 << 20, 'x');  // far more than the socket buffers hold
    auto written = co_await pair.client.write_all(big);
    co_return written ? std::error_code{} : written.error();
}

TEST_CASE("a peer that closes in the middle of a write makes write_all fail, not hang") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    const std::error_code error = rt_test::run(runtime, write_to_leaving_peer());
    CHECK_MESSAGE((error == std::errc::broken_pipe || error == std::errc::connection_reset),
                  "write_all to a closed peer should fail with EPIPE or ECONNRESET, got: ", error.message());
}

Task<std::error_code> connect_to_nobody() {
    SocketAddr addr = *SocketAddr::parse("127.0.0.1:0");
    {
        // A stage-04 listener, registered nowhere: libkqueue cannot see a
        // close, so a registered fd number that the connecting socket then
        // reuses would find the closed socket's stale registration there.
        auto listener = metalio::net::TcpListener::bind(addr);
        REQUIRE(listener);
        addr = *listener->local_addr();
    }  // closed: nobody listens on that port now
    auto stream = co_await TcpStream::connect(addr);
    co_return stream ? std::error_code{} : stream.error();
}

TEST_CASE("connect to a closed port fails: ECONNREFUSED, or ENOTCONN where the selector took the error") {
    // libkqueue reads (and so clears) SO_ERROR when it reports the refused
    // connect (selector_facts.hpp, chapter 02): take_error() then finds
    // nothing, and the runtime's connect learns of the failure from
    // peer_addr(), without its reason. Everywhere else the reason is there.
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    const std::error_code failed = rt_test::run(runtime, connect_to_nobody());
    if (metalio::test::kEventConsumesSocketError) {
        CHECK(failed == std::errc::not_connected);
    } else {
        CHECK(failed == std::errc::connection_refused);
    }
}

TEST_CASE("binding outside a runtime is refused with no_runtime") {
    const metalio::test::FdLeakCheck no_leak;
    auto listener = TcpListener::bind(*SocketAddr::parse("127.0.0.1:0"));
    REQUIRE_FALSE(listener.has_value());
    CHECK(listener.error() == metalio::rt::Errc::no_runtime);
}

Task<rt_test::Pair> make_pair() { co_return co_await rt_test::connected_pair(); }

Task<std::error_code> read_elsewhere(TcpStream* stream) {
    char buffer[8];
    auto read = co_await stream->read(std::as_writable_bytes(std::span(buffer)));
    co_return read ? std::error_code{} : read.error();
}

TEST_CASE("a stream used by another runtime than its own gets no_runtime, not a hang") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime home = rt_test::make_runtime();
    Runtime other = rt_test::make_runtime();
    rt_test::Pair pair = rt_test::run(home, make_pair());
    CHECK(rt_test::run(other, read_elsewhere(&pair.server)) == metalio::rt::Errc::no_runtime);
}

}  // namespace
