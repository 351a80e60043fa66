// Stage 10: stage 09's runtime on the ring. The same kind of tasks as the
// stage-09 tests, and above all the ownership rule: a read cancelled while
// the kernel holds its recv must not let the kernel (or the runtime) write
// into the cancelled task's memory.
#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "metalio/rt/ring/runtime.hpp"
#include "metalio/rt/ring/tcp_listener.hpp"
#include "metalio/rt/timeout.hpp"
#include "metalio/sys/fault.hpp"
#include "uring_test.hpp"

using namespace std::chrono_literals;
using metalio::net::SocketAddr;
using metalio::rt::Task;
using metalio::rt::ring::Runtime;
using metalio::rt::ring::TcpListener;
using metalio::rt::ring::TcpStream;

namespace {

Runtime make_runtime() {
    auto runtime = Runtime::create(64);
    REQUIRE_MESSAGE(runtime.has_value(), "Runtime::create: ", metalio::test::why(runtime));
    return std::move(*runtime);
}

template <class T>
T run(Runtime& runtime, Task<T> task) {
    auto result = runtime.block_on(std::move(task));
    REQUIRE_MESSAGE(result.has_value(), "block_on: ", metalio::test::why(result));
    if constexpr (!std::is_void_v<T>) return std::move(*result);
}

// A connected pair on the ring runtime: the server side accepted by a
// ring TcpListener, the client a plain connect (the listener's backlog
// completes it) adopted as a ring stream.
struct Pair {
    TcpListener listener;
    TcpStream client;
    TcpStream server;
};

Task<Pair> connected_pair() {
    auto listener = TcpListener::bind(*SocketAddr::parse("127.0.0.1:0"));
    REQUIRE_MESSAGE(listener.has_value(), "bind: ", metalio::test::why(listener));
    const auto addr = listener->local_addr();
    REQUIRE(addr.has_value());
    auto connected = metalio::net::TcpStream::connect(*addr);
    REQUIRE(connected.has_value());
    auto accepted = co_await listener->accept();
    REQUIRE_MESSAGE(accepted.has_value(), "accept: ", metalio::test::why(accepted));
    auto client = TcpStream::from_std(std::move(*connected));
    REQUIRE(client.has_value());
    co_return Pair{std::move(*listener), std::move(*client), std::move(accepted->first)};
}

std::span<std::byte> bytes(std::string& text) { return std::as_writable_bytes(std::span(text)); }

// Reads until @p count bytes came (or the stream ended).
Task<std::string> read_exactly(TcpStream* stream, std::size_t count) {
    std::string got;
    std::array<char, 64> buffer{};
    while (got.size() < count) {
        auto read = co_await stream->read(std::as_writable_bytes(std::span(buffer)));
        if (!read || *read == 0) break;
        got.append(buffer.data(), *read);
    }
    co_return got;
}

Task<std::vector<std::string>> both_ways() {
    std::vector<std::string> notes;
    auto pair = co_await connected_pair();
    (void)co_await pair.client.write_all("ping");
    notes.push_back(co_await read_exactly(&pair.server, 4));
    std::string big(100000, 'x');  // more than one recv of the Socket's 4096-byte buffer
    (void)co_await pair.server.write_all(big);
    notes.push_back(std::to_string((co_await read_exactly(&pair.client, big.size())).size()));
    (void)pair.client.shutdown(metalio::net::Shutdown::Write);
    std::string rest(8, '\0');
    auto end = co_await pair.server.read(bytes(rest));
    notes.push_back(end ? std::to_string(*end) : end.error().message());
    co_return notes;
}

TEST_CASE("ring runtime: accept, write_all and read carry bytes both ways, then end-of-file") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Runtime runtime = make_runtime();
    CHECK(run(runtime, both_ways()) == std::vector<std::string>{"ping", "100000", "0"});
    CHECK(runtime.sockets() == 0);
}

// [cancelled-read-test]
Task<std::vector<std::string>> cancelled_read() {
    std::vector<std::string> notes;
    auto pair = co_await connected_pair();
    // A read with a deadline and nothing to read: the recv goes to the
    // kernel, the deadline passes, the read is destroyed with its task.
    auto sentinel = std::make_unique<std::array<std::byte, 64>>();
    sentinel->fill(std::byte{0xAA});
    auto freed = std::make_unique<std::array<std::byte, 64>>();
    auto first = co_await metalio::rt::timeout(20ms, pair.server.read(*sentinel));
    notes.push_back(!first && first.error() == std::errc::timed_out ? "timed out" : "not timed out");
    auto second = co_await metalio::rt::timeout(20ms, pair.server.read(*freed));
    notes.push_back(!second && second.error() == std::errc::timed_out ? "timed out" : "not timed out");
    freed.reset();  // the cancelled read's memory is gone (ASan: any write into it is caught)
    // Now the socket becomes readable while no read waits: the recv that is
    // still in flight completes, into the Socket's own buffer.
    (void)co_await pair.client.write_all("late");
    co_await metalio::rt::sleep_for(20ms);
    const auto is_fill = [](std::byte b) { return b == std::byte{0xAA}; };
    const bool untouched = std::all_of(sentinel->begin(), sentinel->end(), is_fill);
    notes.push_back(untouched ? "untouched" : "written into");
    // The bytes were not lost with the cancelled read: the next read has them.
    notes.push_back(co_await read_exactly(&pair.server, 4));
    co_return notes;
}

TEST_CASE("ring runtime: a read cancelled by timeout leaves its buffer alone, and its bytes go to the next read") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Runtime runtime = make_runtime();
    CHECK(run(runtime, cancelled_read()) == std::vector<std::string>{"timed out", "timed out", "untouched", "late"});
}
// [cancelled-read-test]

Task<std::vector<std::string>> cancelled_accept() {
    std::vector<std::string> notes;
    auto listener = TcpListener::bind(*SocketAddr::parse("127.0.0.1:0"));
    REQUIRE(listener.has_value());
    auto first = co_await metalio::rt::timeout(20ms, listener->accept());
    notes.push_back(!first && first.error() == std::errc::timed_out ? "timed out" : "not timed out");
    // The accept still in flight takes this connection; it waits for the next accept().
    auto client = metalio::net::TcpStream::connect(*listener->local_addr());
    REQUIRE(client.has_value());
    co_await metalio::rt::sleep_for(20ms);
    auto second = co_await listener->accept();
    notes.push_back(second ? "accepted" : second.error().message());
    if (second) {
        auto peer = second->first.peer_addr();
        auto local = client->local_addr();
        notes.push_back(peer && local && peer->port() == local->port() ? "same connection" : "another connection");
    }
    co_return notes;
}

TEST_CASE("ring runtime: a cancelled accept loses no connection") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Runtime runtime = make_runtime();
    CHECK(run(runtime, cancelled_accept()) == std::vector<std::string>{"timed out", "accepted", "same connection"});
}

Task<std::vector<std::string>> dropped_in_flight(Runtime* runtime) {
    std::vector<std::string> notes;
    auto pair = co_await connected_pair();
    std::array<std::byte, 16> buffer{};
    (void)co_await metalio::rt::timeout(10ms, pair.server.read(buffer));
    // The peer does not read: a big write_all fills the socket and is cancelled.
    const std::string big(8 << 20, 'y');
    auto write = co_await metalio::rt::timeout(20ms, pair.client.write_all(big));
    notes.push_back(!write && write.error() == std::errc::timed_out ? "write timed out" : "write finished");
    notes.push_back(std::to_string(runtime->sockets()));
    // Both streams dropped with an operation in flight: each Socket stays
    // (its descriptor open) until the kernel gives the operation back.
    { auto gone = std::move(pair.server); }
    { auto gone = std::move(pair.client); }
    for (int turn = 0; turn < 100 && runtime->sockets() > 1; ++turn) co_await metalio::rt::sleep_for(1ms);
    notes.push_back(std::to_string(runtime->sockets()));
    co_return notes;
}

TEST_CASE("ring runtime: streams dropped with a recv and a send in flight are closed once the kernel lets go") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Runtime runtime = make_runtime();
    CHECK(run(runtime, dropped_in_flight(&runtime)) == std::vector<std::string>{"write timed out", "3", "1"});
}

// Reads once from @p stream into @p got: the bytes, or the error's message.
Task<void> read_once_into(TcpStream* stream, std::vector<std::string>* got) {
    std::array<char, 64> buffer{};
    auto read = co_await stream->read(std::as_writable_bytes(std::span(buffer)));
    got->push_back(read ? std::string(buffer.data(), *read) : read.error().message());
}

Task<std::vector<std::string>> closed_under_a_reader(Runtime* runtime) {
    std::vector<std::string> got;
    auto pair = co_await connected_pair();
    REQUIRE(metalio::rt::spawn(read_once_into(&pair.server, &got)));
    co_await metalio::rt::YieldNow{};  // the reader submits its recv and parks
    { auto gone = std::move(pair.server); }  // closed under it
    while (got.empty()) co_await metalio::rt::YieldNow{};
    // The recv comes back cancelled; only then is the Socket freed.
    for (int turn = 0; turn < 100 && runtime->sockets() > 2; ++turn) co_await metalio::rt::sleep_for(1ms);
    got.push_back(std::to_string(runtime->sockets()));
    co_return got;
}

TEST_CASE("ring runtime: a stream closed while another task reads it ends that read with io_closed") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Runtime runtime = make_runtime();
    const std::string closed = make_error_code(metalio::rt::Errc::io_closed).message();
    CHECK(run(runtime, closed_under_a_reader(&runtime)) == std::vector<std::string>{closed, "2"});
}

Task<void> echo(TcpStream stream) {
    std::array<char, 512> buffer{};
    for (;;) {
        auto read = co_await stream.read(std::as_writable_bytes(std::span(buffer)));
        if (!read || *read == 0) co_return;
        if (!co_await stream.write_all(std::string_view(buffer.data(), *read))) co_return;
    }
}

Task<void> accept_loop(TcpListener* listener) {
    for (;;) {
        auto accepted = co_await listener->accept();
        if (!accepted) co_return;
        (void)metalio::rt::spawn(echo(std::move(accepted->first)));
    }
}

Task<std::size_t> many_clients(std::size_t count) {
    auto listener = TcpListener::bind(*SocketAddr::parse("127.0.0.1:0"));
    REQUIRE(listener.has_value());
    REQUIRE(metalio::rt::spawn(accept_loop(&*listener)));
    std::vector<TcpStream> clients;
    for (std::size_t i = 0; i < count; ++i) {
        auto connected = metalio::net::TcpStream::connect(*listener->local_addr());
        REQUIRE(connected.has_value());
        auto client = TcpStream::from_std(std::move(*connected));
        REQUIRE(client.has_value());
        clients.push_back(std::move(*client));
    }
    std::size_t right = 0;
    for (std::size_t i = 0; i < clients.size(); ++i) {
        bool all = true;
        for (int round = 0; round < 3; ++round) {
            const std::string message = "client " + std::to_string(i) + " round " + std::to_string(round);
            (void)co_await clients[i].write_all(message);
            all = all && co_await read_exactly(&clients[i], message.size()) == message;
        }
        if (all) ++right;
    }
    co_return right;
}

TEST_CASE("ring runtime: two hundred clients at once, each echoed three times, on one thread") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Runtime runtime = make_runtime();
    CHECK(run(runtime, many_clients(200)) == 200);
}  // the destructor destroys the parked echo tasks and the accept loop; the ring waits for the kernel

Task<std::vector<std::string>> misuse() {
    std::vector<std::string> notes;
    auto pair = co_await connected_pair();
    TcpStream moved = std::move(pair.server);
    std::array<std::byte, 8> buffer{};
    auto read = co_await pair.server.read(buffer);  // NOLINT: reading a moved-from stream on purpose
    notes.push_back(read ? "read" : read.error().message());
    co_return notes;
}

TEST_CASE("ring runtime: a moved-from stream says io_closed, and a bind outside block_on says no_runtime") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Runtime runtime = make_runtime();
    const auto notes = run(runtime, misuse());
    REQUIRE(notes.size() == 1);
    CHECK(notes[0] == make_error_code(metalio::rt::Errc::io_closed).message());
    auto outside = TcpListener::bind(*SocketAddr::parse("127.0.0.1:0"));
    REQUIRE_FALSE(outside.has_value());
    CHECK(outside.error() == metalio::rt::Errc::no_runtime);
}

#if METALIO_FAULT_INJECTION
TEST_CASE("ring runtime: where io_uring is refused, create names the reason") {
    const metalio::test::FdLeakCheck no_leak;
    metalio::sys::fault::fail_next("io_uring_setup", ENOSYS);
    auto runtime = Runtime::create();
    metalio::sys::fault::reset();
    REQUIRE_FALSE(runtime.has_value());
    CHECK(runtime.error() == metalio::uring::Errc::not_supported);
}
#endif

}  // namespace
