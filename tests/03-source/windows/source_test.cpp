// Stage 03 on Windows: IoSource, the only way to register a socket (there is
// no SourceFd), with the same SelectorId rules as on Unix, and the re-arm
// after WouldBlock that keeps the emulated edge usable.
#include "metalio_test.hpp"

#include <vector>

#include "metalio/events.hpp"
#include "metalio/io_source.hpp"
#include "metalio/sys/fault.hpp"
#include "waitable_registry.hpp"
#include "windows_socket_pair.hpp"

using namespace std::chrono_literals;
using metalio::Errc;
using metalio::Event;
using metalio::Events;
using metalio::Interest;
using metalio::IoSource;
using metalio::Registry;
using metalio::Token;

namespace {

using WaitableRegistry = metalio::test::WaitableRegistry;
WaitableRegistry make_registry() { return metalio::test::make_waitable_registry(); }

std::vector<Event> poll_once(const WaitableRegistry& registry, Events& events, std::chrono::nanoseconds timeout) {
    const auto polled = registry.selector.select(events, timeout);
    REQUIRE_MESSAGE(polled.has_value(), metalio::test::why(polled));
    return {events.begin(), events.end()};
}

// One recv through do_io: what TcpStream::read does.
metalio::io::Result<int> read_some(const IoSource& source, char* buffer, int size) {
    return source.do_io([&](SOCKET socket) {
        return METALIO_WINCALL(fails_with_socket_error, recv, socket, buffer, size, 0);
    });
}

}  // namespace

TEST_CASE("an IoSource registers once per registry, and with one registry at a time") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = metalio::test::socket_pair();
    const IoSource source(std::move(pair.b));
    const WaitableRegistry first = make_registry();
    const WaitableRegistry second = make_registry();

    REQUIRE(first.register_(source, Token{1}, Interest::READABLE));
    CHECK(first.register_(source, Token{1}, Interest::READABLE).error() == Errc::already_registered);
    CHECK(second.register_(source, Token{1}, Interest::READABLE).error() == Errc::registered_elsewhere);
    CHECK(second.reregister(source, Token{1}, Interest::READABLE).error() == Errc::registered_elsewhere);
    CHECK(second.deregister(source).error() == Errc::registered_elsewhere);
    REQUIRE(first.reregister(source, Token{2}, Interest::WRITABLE));
    REQUIRE(first.deregister(source));
    CHECK(first.deregister(source).error() == Errc::not_registered);
    CHECK(first.reregister(source, Token{2}, Interest::READABLE).error() == Errc::not_registered);
    // Free again: another registry may take it.
    REQUIRE(second.register_(source, Token{3}, Interest::READABLE));
    REQUIRE(second.deregister(source));
}

TEST_CASE("do_io re-arms after WouldBlock: a drained socket reports new data again") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = metalio::test::socket_pair();
    const IoSource source(std::move(pair.b));
    const WaitableRegistry registry = make_registry();
    REQUIRE(registry.register_(source, Token{5}, Interest::READABLE));
    Events events = Events::with_capacity(4);

    REQUIRE(::send(pair.a.get(), "one", 3, 0) == 3);
    REQUIRE(poll_once(registry, events, 5s).size() == 1);
    char buffer[16];
    CHECK(read_some(source, buffer, sizeof buffer) == 3);
    // No WouldBlock yet: still disarmed, new data is not reported.
    REQUIRE(::send(pair.a.get(), "two", 3, 0) == 3);
    CHECK(poll_once(registry, events, 50ms).empty());

    CHECK(read_some(source, buffer, sizeof buffer) == 3);
    const auto blocked = read_some(source, buffer, sizeof buffer);
    REQUIRE_FALSE(blocked.has_value());
    CHECK(metalio::io::is_would_block(blocked.error()));  // ...and this re-armed it
    REQUIRE(::send(pair.a.get(), "three", 5, 0) == 5);
    const auto ready = poll_once(registry, events, 5s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].token() == Token{5});
    CHECK(ready[0].is_readable());
    REQUIRE(registry.deregister(source));
}

TEST_CASE("a re-arm that failed reaches the operation: do_io returns its error instead of WouldBlock") {
    auto pair = metalio::test::socket_pair();
    const IoSource source(std::move(pair.b));
    const WaitableRegistry registry = make_registry();
    REQUIRE(registry.register_(source, Token{6}, Interest::READABLE));
    Events events = Events::with_capacity(4);
    REQUIRE(::send(pair.a.get(), "one", 3, 0) == 3);
    REQUIRE(poll_once(registry, events, 5s).size() == 1);
    // The completion queued the socket's next poll; the next select starts
    // it, and that start fails: an error event for this socket alone.
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_next("NtDeviceIoControlFile", ERROR_NOT_ENOUGH_MEMORY);
    const auto failed = poll_once(registry, events, 5s);
    metalio::sys::fault::reset();
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].token() == Token{6});
    CHECK(failed[0].is_error());
    char buffer[16];
    CHECK(read_some(source, buffer, sizeof buffer) == 3);
    // The operation that would block re-arms, and learns why the last
    // re-arm failed: that error, not WouldBlock (mio's do_io does the same).
    const auto reported = read_some(source, buffer, sizeof buffer);
    REQUIRE_FALSE(reported.has_value());
    CHECK(reported.error() == std::errc::not_enough_memory);
    // Re-armed all the same: new data is an event.
    REQUIRE(::send(pair.a.get(), "two", 3, 0) == 3);
    const auto ready = poll_once(registry, events, 5s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].is_readable());
    CHECK_FALSE(ready[0].is_error());
    REQUIRE(registry.deregister(source));
}

TEST_CASE("destroying a registered IoSource deregisters it, and its late completion is dropped") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = metalio::test::socket_pair();
    const WaitableRegistry registry = make_registry();
    {
        const IoSource source(std::move(pair.b));
        REQUIRE(registry.register_(source, Token{6}, Interest::READABLE));
        CHECK(registry.selector.polls_in_flight() == 1);
    }
    REQUIRE(::send(pair.a.get(), "gone", 4, 0) == 4);
    Events events = Events::with_capacity(4);
    CHECK(poll_once(registry, events, 100ms).empty());
    CHECK(registry.selector.polls_in_flight() == 0);
}

TEST_CASE("a moved IoSource keeps its registration, and into_socket gives the socket up unregistered") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = metalio::test::socket_pair();
    const WaitableRegistry registry = make_registry();
    IoSource first(std::move(pair.b));
    REQUIRE(registry.register_(first, Token{8}, Interest::READABLE));
    IoSource moved(std::move(first));
    CHECK(moved.as_raw_socket() != INVALID_SOCKET);
    CHECK(first.as_raw_socket() == INVALID_SOCKET);
    REQUIRE(::send(pair.a.get(), "x", 1, 0) == 1);
    Events events = Events::with_capacity(4);
    REQUIRE(poll_once(registry, events, 5s).size() == 1);
    CHECK(registry.reregister(moved, Token{9}, Interest::READABLE));

    const metalio::sys::windows::OwnedSocket socket = std::move(moved).into_socket();
    CHECK(socket.get() != INVALID_SOCKET);
    CHECK(poll_once(registry, events, 100ms).empty());
    CHECK(registry.selector.polls_in_flight() == 0);
}
