// Stage 09: the life of a registration — a token that outlives its source
// is dropped and counted, a stream or listener may move (even while an
// operation waits on it), destroying one ends its waiting operations with
// io_closed, one always-ready connection cannot starve the others, each
// operation's "Cancel safety" line holds, and deadlines count from the call.
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "metalio/net/tcp_listener.hpp"
#include "metalio/rt/context.hpp"
#include "metalio/rt/error.hpp"
#include "metalio/rt/reactor.hpp"
#include "metalio/rt/timeout.hpp"
#include "runtime_test.hpp"

using namespace std::chrono_literals;
using metalio::rt::Context;
using metalio::rt::Direction;
using metalio::rt::Errc;
using metalio::rt::Executor;
using metalio::rt::Reactor;
using metalio::rt::Runtime;
using metalio::rt::ScheduledIo;
using metalio::rt::Task;
using metalio::rt::TcpListener;
using metalio::rt::TcpStream;
using metalio::rt::YieldNow;

namespace {

// A connected pair of plain (stage-04) streams, registered nowhere.
struct NetPair {
    metalio::net::TcpStream client;
    metalio::net::TcpStream server;
};

NetPair net_pair() {
    auto listener = metalio::net::TcpListener::bind(*metalio::net::SocketAddr::parse("127.0.0.1:0"));
    REQUIRE(listener);
    auto client = metalio::net::TcpStream::connect(*listener->local_addr());
    REQUIRE(client);
    for (int tries = 0; tries < 5000; ++tries) {
        auto accepted = listener->accept();
        if (accepted) return NetPair{std::move(*client), std::move(accepted->first)};
        REQUIRE(metalio::io::is_would_block(accepted.error()));
        std::this_thread::sleep_for(1ms);
    }
    FAIL("the loopback connection never came");
    return NetPair{std::move(*client), std::move(*client)};
}

Task<void> wait_readable(ScheduledIo* io, int* woken) {
    co_await io->ready(Direction::Read);
    ++*woken;
}

TEST_CASE("an event for a retired record is dropped and counted, and never reaches the record's next source") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = metalio::Poll::create();
    REQUIRE(poll);
    Reactor reactor(std::move(*poll));
    Executor executor;
    NetPair pair = net_pair();

    auto first = reactor.add(pair.server);
    REQUIRE(first);
    ScheduledIo& record = **first;
    const auto old_token = Reactor::token_of(record);
    // Retired WITHOUT deregistering: the kernel still holds the old token,
    // as it does for a socket whose file a dup or a child keeps open.
    reactor.retire(record);
    REQUIRE(pair.client.write(rt_test::bytes("x")));
    for (int turn = 0; turn < 50 && reactor.stale_events() == 0; ++turn) REQUIRE(reactor.turn(100ms, executor));
    CHECK(reactor.stale_events() >= 1);

    // The next source gets the same record under a new generation; the old
    // token's events go on being dropped, its waiters are not woken.
    auto second = reactor.add(pair.client);
    REQUIRE(second);
    CHECK(*second == &record);
    CHECK(Reactor::token_of(**second) != old_token);
    (**second).clear(Direction::Read);
    int woken = 0;
    executor.spawn(wait_readable(*second, &woken));
    executor.run_once();
    REQUIRE(pair.client.write(rt_test::bytes("y")));  // the server side (old token) turns readable again
    for (int turn = 0; turn < 5; ++turn) {
        REQUIRE(reactor.turn(10ms, executor));
        executor.run_once();
    }
    CHECK(woken == 0);
    (void)reactor.registry().deregister(pair.server);
    (void)reactor.registry().deregister(pair.client);
}

// Polls `*flag` between short sleeps, at most ~5 s: a test that fails
// does not hang.
Task<bool> eventually(const bool* flag) {
    for (int i = 0; i < 5000 && !*flag; ++i) co_await metalio::rt::sleep_for(1ms);
    co_return *flag;
}

// [budget-test]
Task<std::vector<std::size_t>> busy_connection_against_others() {
    auto busy = co_await rt_test::connected_pair();
    auto other = co_await rt_test::connected_pair();
    auto silent = co_await rt_test::connected_pair();
    bool timed_out = false;
    bool other_read = false;
    // A timeout on a connection that never speaks, and a read on a second
    // connection whose peer writes only after a turn of the run queue.
    REQUIRE(metalio::rt::spawn([](TcpStream* stream, bool* done) -> Task<void> {
        char buffer[8];
        auto read = co_await metalio::rt::timeout(1ms, stream->read(std::as_writable_bytes(std::span(buffer))));
        *done = !read && read.error() == std::errc::timed_out;
    }(&silent.server, &timed_out)));
    REQUIRE(metalio::rt::spawn([](TcpStream* stream, bool* done) -> Task<void> {
        char buffer[8];
        auto read = co_await stream->read(std::as_writable_bytes(std::span(buffer)));
        *done = read && *read == 2;
    }(&other.server, &other_read)));
    REQUIRE(metalio::rt::spawn([](TcpStream* stream) -> Task<void> {
        co_await YieldNow{};
        (void)co_await stream->write_all("hi");
    }(&other.client)));
    // A read into an empty buffer is always ready while a byte waits:
    // without a budget this loop never suspends, and none of the tasks
    // above ever runs. (The byte matters on Windows, where a zero-length
    // recv on an empty socket says WSAEWOULDBLOCK instead of 0.)
    (void)co_await busy.client.write_all("x");
    constexpr std::size_t kCap = 2'000'000;
    std::size_t reads = 0;
    while (reads < kCap && !(timed_out && other_read)) {
        auto read = co_await busy.server.read(std::span<std::byte>{});
        REQUIRE(read);
        ++reads;
    }
    co_return std::vector<std::size_t>{reads < kCap, timed_out, other_read};
}

TEST_CASE("budget: an always-ready connection cannot starve another connection or a timeout") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, busy_connection_against_others()) == std::vector<std::size_t>{1, 1, 1});
}
// [budget-test]

Task<std::string> read_some(TcpStream* stream) {
    char buffer[64];
    auto read = co_await stream->read(std::as_writable_bytes(std::span(buffer)));
    if (!read) co_return read.error().message();
    co_return std::string(buffer, *read);
}

Task<std::vector<std::string>> move_between_awaits() {
    std::vector<std::string> notes;
    auto pair = co_await rt_test::connected_pair();
    auto other = co_await rt_test::connected_pair();
    (void)co_await pair.client.write_all("one");
    notes.push_back(co_await read_some(&pair.server));
    TcpStream moved = std::move(pair.server);
    (void)co_await pair.client.write_all("two");
    notes.push_back(co_await read_some(&moved));
    // Move-assigning over a stream deregisters and closes it: its peer sees
    // end-of-file, and the stream now reads from the other connection.
    moved = std::move(other.server);
    notes.push_back(co_await read_some(&pair.client) == "" ? "closed" : "not closed");
    (void)co_await other.client.write_all("three");
    notes.push_back(co_await read_some(&moved));
    co_return notes;
}

TEST_CASE("a stream moved between awaits keeps working, and move-assigning closes the old one") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, move_between_awaits()) == std::vector<std::string>{"one", "two", "closed", "three"});
}

Task<std::vector<std::string>> move_or_drop_while_parked() {
    std::vector<std::string> notes;
    auto pair = co_await rt_test::connected_pair();
    auto doomed = co_await rt_test::connected_pair();
    std::optional<TcpStream> home(std::move(pair.server));
    std::optional<TcpStream> doomed_home(std::move(doomed.server));
    std::string moved_read;
    std::string dropped_read;
    bool moved_done = false;
    bool dropped_done = false;
    auto reader = [](std::optional<TcpStream>* stream, std::string* out, bool* done) -> Task<void> {
        *out = co_await read_some(&**stream);
        *done = true;
    };
    REQUIRE(metalio::rt::spawn(reader(&home, &moved_read, &moved_done)));
    REQUIRE(metalio::rt::spawn(reader(&doomed_home, &dropped_read, &dropped_done)));
    co_await YieldNow{};  // both readers are parked now
    // Defined result 1: the parked read goes on with the stream where it
    // moved to (the old object is destroyed, too).
    TcpStream moved = std::move(*home);
    home.reset();
    (void)co_await pair.client.write_all("after the move");
    // (The await is a statement of its own: GCC 12 miscompiles a co_await
    // inside `?:` whose result is a class, copying the string bit by bit.)
    const bool moved_finished = co_await eventually(&moved_done);
    notes.push_back(moved_finished ? moved_read : "still parked");
    // Defined result 2: destroying a stream ends the read parked on it.
    doomed_home.reset();
    const bool dropped_finished = co_await eventually(&dropped_done);
    notes.push_back(dropped_finished ? dropped_read : "still parked");
    co_return notes;
}

TEST_CASE("a read parked on a stream goes on when the stream moves, and ends with io_closed when it is destroyed") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, move_or_drop_while_parked()) ==
          std::vector<std::string>{"after the move", make_error_code(Errc::io_closed).message()});
}

Task<std::vector<std::string>> listener_moved_or_dropped_while_accepting() {
    std::vector<std::string> notes;
    auto bound = TcpListener::bind(*metalio::net::SocketAddr::parse("127.0.0.1:0"));
    REQUIRE(bound);
    const auto addr = *bound->local_addr();
    std::optional<TcpListener> home(std::move(*bound));
    std::string outcome;
    bool done = false;
    auto acceptor = [](std::optional<TcpListener>* listener, std::string* out, bool* finished) -> Task<void> {
        auto accepted = co_await (*listener)->accept();
        *out = accepted ? "accepted" : accepted.error().message();
        *finished = true;
    };
    REQUIRE(metalio::rt::spawn(acceptor(&home, &outcome, &done)));
    co_await YieldNow{};
    TcpListener moved = std::move(*home);
    home.reset();
    auto client = co_await TcpStream::connect(addr);
    REQUIRE(client);
    const bool accepted = co_await eventually(&done);  // its own statement: see above
    notes.push_back(accepted ? outcome : "still parked");

    home.emplace(std::move(moved));
    done = false;
    REQUIRE(metalio::rt::spawn(acceptor(&home, &outcome, &done)));
    co_await YieldNow{};
    home.reset();
    const bool ended = co_await eventually(&done);
    notes.push_back(ended ? outcome : "still parked");
    co_return notes;
}

TEST_CASE("an accept waiting on a listener goes on when the listener moves, and ends with io_closed when it is destroyed") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, listener_moved_or_dropped_while_accepting()) ==
          std::vector<std::string>{"accepted", make_error_code(Errc::io_closed).message()});
}

// [cancel-safety-tests]
Task<std::vector<std::string>> cancelled_accept_loses_no_connection() {
    std::vector<std::string> notes;
    auto listener = TcpListener::bind(*metalio::net::SocketAddr::parse("127.0.0.1:0"));
    REQUIRE(listener);
    auto first = co_await metalio::rt::timeout(5ms, listener->accept());
    notes.push_back(!first && first.error() == std::errc::timed_out ? "timed out" : "not timed out");
    auto client = co_await TcpStream::connect(*listener->local_addr());
    REQUIRE(client);
    auto second = co_await metalio::rt::timeout(5s, listener->accept());
    notes.push_back(second && *second ? "accepted" : "lost");
    co_return notes;
}

TEST_CASE("cancel safety: a cancelled accept takes no connection, the next accept gets it") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, cancelled_accept_loses_no_connection()) ==
          std::vector<std::string>{"timed out", "accepted"});
}

Task<std::vector<std::string>> cancelled_write_all_leaves_a_prefix() {
    std::vector<std::string> notes;
    auto pair = co_await rt_test::connected_pair();
    // More than any socket buffer holds, and the peer does not read yet:
    // write_all writes what fits, parks, and is cancelled there.
    std::vector<std::byte> big(32 << 20, std::byte{'z'});
    auto sent = co_await metalio::rt::timeout(20ms, pair.client.write_all(big));
    notes.push_back(!sent && sent.error() == std::errc::timed_out ? "timed out" : "not timed out");
    // Not cancel-safe, as documented: part of the buffer is on its way.
    std::vector<std::byte> sink(1 << 16);
    auto got = co_await metalio::rt::timeout(5s, pair.server.read(sink));
    const bool some = got && *got && **got > 0;
    notes.push_back(some ? "a prefix arrived" : "nothing arrived");
    co_return notes;
}

TEST_CASE("cancel safety: a cancelled write_all has written a prefix (it is not cancel-safe)") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, cancelled_write_all_leaves_a_prefix()) ==
          std::vector<std::string>{"timed out", "a prefix arrived"});
}
// [cancel-safety-tests]

Task<bool> sleep_made_then_late() {
    bool other_ran = false;
    REQUIRE(metalio::rt::spawn([](bool* ran) -> Task<void> {
        *ran = true;
        co_return;
    }(&other_ran)));
    auto sleep = metalio::rt::sleep_for(20ms);
    std::this_thread::sleep_for(30ms);  // the deadline passes before the first await
    co_await std::move(sleep);  // already due: must not suspend
    co_return other_ran;
}

TEST_CASE("sleep_for counts from the call: awaited after its deadline, it does not suspend") {
    Runtime runtime = rt_test::make_runtime();
    CHECK_FALSE(rt_test::run(runtime, sleep_made_then_late()));
}

Task<int> throws_after_a_yield(const char* what) {
    co_await YieldNow{};
    throw std::runtime_error(what);
}

Task<std::vector<std::string>> exceptions_out_of_tasks() {
    std::vector<std::string> notes;
    try {
        notes.push_back(std::to_string(co_await throws_after_a_yield("awaited")));
    } catch (const std::runtime_error& error) {
        notes.push_back(std::string("caught ") + error.what());
    }
    bool other_ran = false;
    REQUIRE(metalio::rt::spawn([]() -> Task<void> { (void)co_await throws_after_a_yield("detached"); }()));
    REQUIRE(metalio::rt::spawn([](bool* ran) -> Task<void> {
        co_await YieldNow{};
        co_await YieldNow{};
        *ran = true;
    }(&other_ran)));
    for (int i = 0; i < 4; ++i) co_await YieldNow{};
    notes.push_back(other_ran ? "the other task ran" : "the other task did not run");
    notes.push_back("reported " + std::to_string(Context::current()->executor.unhandled_exceptions()));
    co_return notes;
}

TEST_CASE("an exception reaches the task's awaiter, and a spawned task's is reported while the runtime goes on") {
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, exceptions_out_of_tasks()) ==
          std::vector<std::string>{"caught awaited", "the other task ran", "reported 1"});
    // The root task's exception comes out of block_on.
    CHECK_THROWS_AS((void)runtime.block_on(throws_after_a_yield("root")), std::runtime_error);
}

}  // namespace
