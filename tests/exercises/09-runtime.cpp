// Tests of exercise 09 (read_timeout from select and sleep_for).
#include <chrono>
#include <string>

#include "../09-runtime/runtime_test.hpp"
#include "exercise.hpp"
#include "metalio/rt/timeout.hpp"

using namespace std::chrono_literals;
using metalio::exercise::read_timeout;
using metalio::rt::Clock;
using metalio::rt::Task;

namespace {

std::string text(const metalio::io::Result<std::size_t>& read, const char* buffer) {
    if (!read) return "error: " + read.error().message();
    return std::string(buffer, *read);
}

// What the learner's read_timeout returned, under a 5 s watchdog of the
// library's own timeout: an answer that never gives up fails, not hangs.
struct Outcome {
    bool returned = false;
    metalio::io::Result<std::size_t> read;
    std::string bytes;
};

Task<Outcome> guarded_read(metalio::rt::TcpStream* stream, std::chrono::nanoseconds limit) {
    Outcome outcome;
    char buffer[64];
    auto guarded = co_await metalio::rt::timeout(5s, read_timeout(*stream, std::as_writable_bytes(std::span(buffer)), limit));
    outcome.returned = guarded.has_value();
    if (guarded) {
        outcome.read = *guarded;
        outcome.bytes = text(*guarded, buffer);
    }
    co_return outcome;
}

Task<Outcome> bytes_already_there() {
    auto pair = co_await rt_test::connected_pair();
    (void)co_await pair.client.write_all("hello");
    co_return co_await guarded_read(&pair.server, 1s);
}

TEST_CASE("bytes that are already there come back") {
    const metalio::test::FdLeakCheck no_leak;
    auto runtime = rt_test::make_runtime();
    const Outcome outcome = rt_test::run(runtime, bytes_already_there());
    REQUIRE_MESSAGE(outcome.returned, "read_timeout did not return within 5 s although bytes were waiting");
    CHECK_MESSAGE(outcome.bytes == "hello", "expected the 5 bytes sent, got: ", outcome.bytes);
}

struct Silence {
    Outcome outcome;
    Clock::duration waited{};
};

Task<Silence> silent_peer() {
    auto pair = co_await rt_test::connected_pair();
    Silence silence;
    const auto start = Clock::now();
    silence.outcome = co_await guarded_read(&pair.server, 50ms);
    silence.waited = Clock::now() - start;
    co_return silence;
}

TEST_CASE("a silent peer: timed_out once the limit has passed") {
    const metalio::test::FdLeakCheck no_leak;
    auto runtime = rt_test::make_runtime();
    const Silence silence = rt_test::run(runtime, silent_peer());
    REQUIRE_MESSAGE(silence.outcome.returned,
                    "read_timeout(50 ms) was still waiting after 5 s: race the read against rt::sleep_for(limit)");
    REQUIRE_MESSAGE(!silence.outcome.read.has_value(),
                    "a timeout must be an error, not a read of ", silence.outcome.read.value_or(0),
                    " bytes (0 bytes means end-of-file to every caller)");
    CHECK_MESSAGE(silence.outcome.read.error() == std::errc::timed_out,
                  "expected std::errc::timed_out, got: ", silence.outcome.read.error().message());
    CHECK_MESSAGE(silence.waited >= 50ms, "gave up before the limit");
}

Task<std::string> usable_after_timeout() {
    auto pair = co_await rt_test::connected_pair();
    (void)co_await guarded_read(&pair.server, 20ms);
    (void)co_await pair.client.write_all("later");
    const Outcome next = co_await guarded_read(&pair.server, 1s);
    co_return next.bytes;
}

TEST_CASE("after a timeout the stream still works: the next read gets the bytes sent later") {
    const metalio::test::FdLeakCheck no_leak;
    auto runtime = rt_test::make_runtime();
    CHECK_MESSAGE(rt_test::run(runtime, usable_after_timeout()) == "later",
                  "the bytes sent after a timeout should go to the next read; was the first read cancelled?");
}

Task<void> send_soon(metalio::rt::TcpStream* stream) {
    co_await metalio::rt::sleep_for(10ms);
    (void)co_await stream->write_all("soon");
}

Task<void> raise_flag_later(bool* flag) {
    co_await metalio::rt::sleep_for(1s);
    *flag = true;
}

Task<std::string> early_answer(bool* late_flag) {
    auto pair = co_await rt_test::connected_pair();
    REQUIRE(metalio::rt::spawn(send_soon(&pair.client)));
    REQUIRE(metalio::rt::spawn(raise_flag_later(late_flag)));
    const Outcome outcome = co_await guarded_read(&pair.server, 3s);
    co_return outcome.bytes;
}

TEST_CASE("bytes that arrive early come back early, not at the limit") {
    const metalio::test::FdLeakCheck no_leak;
    auto runtime = rt_test::make_runtime();
    bool late = false;
    const std::string bytes = rt_test::run(runtime, early_answer(&late));
    CHECK(bytes == "soon");
    CHECK_MESSAGE(!late, "the read got its bytes after 10 ms but returned only after 1 s or more: "
                         "do not wait out the limit when the read finishes first");
}

}  // namespace
