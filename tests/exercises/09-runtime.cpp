// Tests of exercise 09 (write_counted: a write that keeps count when it is
// cancelled).
#include <chrono>
#include <string>
#include <vector>

#include "../09-runtime/runtime_test.hpp"
#include "exercise.hpp"
#include "metalio/rt/timeout.hpp"

using namespace std::chrono_literals;
using metalio::exercise::write_counted;
using metalio::rt::Task;
using metalio::rt::TcpStream;

namespace {

// Bytes that differ from their neighbours, so a repeated or skipped part shows.
std::vector<std::byte> pattern(std::size_t size) {
    std::vector<std::byte> data(size);
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::byte>(i % 251);
    return data;
}

// What the peer received up to end-of-file: how many bytes, and whether
// they were the pattern's first ones.
struct Received {
    std::size_t size = 0;
    bool in_order = true;
    bool finished = false;
};

Task<void> receive_all(TcpStream* stream, Received* received) {
    std::vector<std::byte> buffer(1 << 16);
    for (;;) {
        auto read = co_await metalio::rt::timeout(10s, stream->read(buffer));
        if (!read || !*read || **read == 0) break;
        for (std::size_t i = 0; i < **read; ++i) {
            if (buffer[i] != static_cast<std::byte>((received->size + i) % 251)) received->in_order = false;
        }
        received->size += **read;
    }
    received->finished = true;
}

Task<bool> eventually(const bool* flag) {
    for (int i = 0; i < 10000 && !*flag; ++i) co_await metalio::rt::sleep_for(1ms);
    co_return *flag;
}

struct Outcome {
    std::string result;  // "ok", "timed out", "still writing after 10 s", or the error
    std::size_t written = 0;
    Received received;
};

std::string describe(const metalio::io::Result<metalio::io::Result<void>>& guarded) {
    if (!guarded) return guarded.error() == std::errc::timed_out ? "timed out" : guarded.error().message();
    if (!*guarded) return guarded->error().message();
    return "ok";
}

Task<Outcome> write_while_the_peer_reads() {
    Outcome outcome;
    auto pair = co_await rt_test::connected_pair();
    const auto data = pattern(16 << 20);  // more than a socket buffer: short writes will happen
    REQUIRE(metalio::rt::spawn(receive_all(&pair.server, &outcome.received)));
    auto guarded = co_await metalio::rt::timeout(10s, write_counted(pair.client, data, &outcome.written));
    outcome.result = describe(guarded);
    if (outcome.result == "timed out") outcome.result = "still writing after 10 s";
    (void)pair.client.shutdown(metalio::net::Shutdown::Write);
    (void)co_await eventually(&outcome.received.finished);
    co_return outcome;
}

TEST_CASE("all of the data arrives, in order, and the count says so") {
    const metalio::test::FdLeakCheck no_leak;
    auto runtime = rt_test::make_runtime();
    const Outcome outcome = rt_test::run(runtime, write_while_the_peer_reads());
    REQUIRE_MESSAGE(outcome.result == "ok", "write_counted: ", outcome.result);
    CHECK_MESSAGE(outcome.received.size == (16U << 20), "the peer received ", outcome.received.size, " bytes of ",
                  16U << 20);
    CHECK_MESSAGE(outcome.received.in_order,
                  "the peer received bytes out of order: after a short write, go on from where it stopped");
    CHECK_MESSAGE(outcome.written == outcome.received.size, "*written says ", outcome.written, ", the peer got ",
                  outcome.received.size);
}

Task<Outcome> cancelled_in_the_middle() {
    Outcome outcome;
    auto pair = co_await rt_test::connected_pair();
    const auto data = pattern(32 << 20);  // the peer does not read yet: the write parks, and is cancelled there
    outcome.result = describe(co_await metalio::rt::timeout(20ms, write_counted(pair.client, data, &outcome.written)));
    (void)pair.client.shutdown(metalio::net::Shutdown::Write);
    REQUIRE(metalio::rt::spawn(receive_all(&pair.server, &outcome.received)));
    (void)co_await eventually(&outcome.received.finished);
    co_return outcome;
}

TEST_CASE("cancelled in the middle: *written is exactly what the peer receives") {
    const metalio::test::FdLeakCheck no_leak;
    auto runtime = rt_test::make_runtime();
    const Outcome outcome = rt_test::run(runtime, cancelled_in_the_middle());
    REQUIRE_MESSAGE(outcome.result == "timed out", "32 MiB into a peer that does not read cannot be written in 20 ms, "
                                                   "yet write_counted returned: ", outcome.result);
    REQUIRE(outcome.received.finished);
    CHECK_MESSAGE(outcome.received.size > 0, "the socket takes some bytes before it is full");
    CHECK_MESSAGE(outcome.written == outcome.received.size, "cancelled with *written == ", outcome.written,
                  " but the peer received ", outcome.received.size,
                  " bytes: count what write() reports, between two awaits");
    CHECK(outcome.received.in_order);
}

Task<std::string> peer_gone() {
    auto pair = co_await rt_test::connected_pair();
    { TcpStream gone = std::move(pair.server); }
    const auto data = pattern(32 << 20);
    std::size_t written = 0;
    co_return describe(co_await metalio::rt::timeout(10s, write_counted(pair.client, data, &written)));
}

TEST_CASE("a peer that is gone: an error, not a hang") {
    const metalio::test::FdLeakCheck no_leak;
    auto runtime = rt_test::make_runtime();
    const std::string result = rt_test::run(runtime, peer_gone());
    CHECK_MESSAGE(result != "ok", "32 MiB cannot all reach a closed peer");
    CHECK_MESSAGE(result != "timed out", "still writing to a closed peer after 10 s: return write()'s error");
}

Task<Outcome> nothing_to_write() {
    Outcome outcome;
    outcome.written = 12345;
    auto pair = co_await rt_test::connected_pair();
    outcome.result = describe(co_await metalio::rt::timeout(5s, write_counted(pair.client, {}, &outcome.written)));
    co_return outcome;
}

TEST_CASE("empty data: success at once, and a count of 0") {
    const metalio::test::FdLeakCheck no_leak;
    auto runtime = rt_test::make_runtime();
    const Outcome outcome = rt_test::run(runtime, nothing_to_write());
    CHECK(outcome.result == "ok");
    CHECK_MESSAGE(outcome.written == 0, "*written starts at 0");
}

}  // namespace
