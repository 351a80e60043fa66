// Stage 09: the event interval — however many tasks stay runnable, the
// reactor is polled after at most 61 of them, so an event is noticed.
#include <string>
#include <vector>

#include "runtime_test.hpp"

using metalio::rt::Runtime;
using metalio::rt::Task;
using metalio::rt::YieldNow;

namespace {

// Always ready: counts one tick per run, until told to stop.
Task<void> spin(std::size_t* ticks, const bool* stop) {
    while (!*stop) {
        ++*ticks;
        co_await YieldNow{};
    }
}

Task<void> read_and_note(metalio::rt::TcpStream* stream, const std::size_t* ticks, std::size_t* served_at) {
    char buffer[8];
    auto read = co_await stream->read(std::as_writable_bytes(std::span(buffer)));
    REQUIRE(read);
    *served_at = *ticks;
}

// [interval-test]
// kSpinners tasks that are always ready, a reader parked on an empty
// socket, and a writer that sends it bytes in the middle of the spinners'
// run. The reader's turn comes once the event was noticed and the tasks
// queued before it have run: with the reactor polled only between whole
// passes that is up to two passes after the write (2 * kSpinners ticks);
// with the event interval, at most 61 ticks and one pass.
Task<void> write_later(metalio::rt::TcpStream* stream, const std::size_t* ticks, std::size_t* written_at) {
    co_await YieldNow{};  // now the spinners are queued after us
    *written_at = *ticks;
    (void)co_await stream->write_all(rt_test::bytes("ping"));
}

Task<std::size_t> ticks_until_served(std::size_t spinners) {
    auto pair = co_await rt_test::connected_pair();
    std::size_t ticks = 0;
    std::size_t written_at = 0;
    std::size_t served_at = 0;
    bool stop = false;
    auto reader = metalio::rt::spawn(read_and_note(&pair.server, &ticks, &served_at));
    co_await YieldNow{};  // the reader parks on its empty socket
    (void)metalio::rt::spawn(write_later(&pair.client, &ticks, &written_at));
    for (std::size_t i = 0; i < spinners; ++i) (void)metalio::rt::spawn(spin(&ticks, &stop));
    (void)co_await std::move(*reader);
    stop = true;
    co_await YieldNow{};  // the spinners see `stop` and end
    co_return served_at - written_at;
}

TEST_CASE("event interval: with 1,000 tasks always ready, a readable connection is served within 61 ticks and a pass") {
    const metalio::test::FdLeakCheck no_leak;
    constexpr std::size_t kSpinners = 1000;
    Runtime runtime = rt_test::make_runtime();
    const std::size_t waited = rt_test::run(runtime, ticks_until_served(kSpinners));
    INFO("served ", waited, " ticks after the write");
    CHECK(waited <= kSpinners + 61);  // without the interval: 2,000
}
// [interval-test]

}  // namespace
