// Stage 02 on Windows: the IOCP selector against real sockets (the AFD
// driver polls sockets only, so a loopback TCP connection plays the pipe).
// Every promise of tests/02-selector/selector_test.cpp that makes sense for
// sockets, plus what only a completion-based selector has: cancellation of
// the request in flight, completions after close, AFD handle groups.
#include "metalio_test.hpp"

#include <atomic>
#include <chrono>
#include <cstring>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "metalio/events.hpp"
#include "metalio/sys/fault.hpp"
#include "metalio/sys/selector.hpp"
#include "windows_socket_pair.hpp"

using namespace std::chrono_literals;
using metalio::Errc;
using metalio::Event;
using metalio::Events;
using metalio::Interest;
using metalio::Token;
using metalio::sys::Selector;
using metalio::test::socket_pair;
namespace afd = metalio::sys::windows::afd;
namespace iocp = metalio::sys::iocp;
namespace fault = metalio::sys::fault;

namespace {

Selector make_selector() {
    auto selector = Selector::create();
    REQUIRE_MESSAGE(selector.has_value(), metalio::test::why(selector));
    return std::move(*selector);
}

std::vector<Event> poll_once(const Selector& selector, Events& events, std::chrono::nanoseconds timeout) {
    const auto polled = selector.select(events, timeout);
    REQUIRE_MESSAGE(polled.has_value(), metalio::test::why(polled));
    return {events.begin(), events.end()};
}

void send_text(SOCKET socket, const char* text) {
    REQUIRE(::send(socket, text, static_cast<int>(std::strlen(text)), 0) == static_cast<int>(std::strlen(text)));
}

// Reads until WouldBlock, as a program does after a readable event.
void drain(SOCKET socket) {
    char buffer[256];
    while (::recv(socket, buffer, sizeof buffer, 0) > 0) {
    }
    CHECK(::WSAGetLastError() == WSAEWOULDBLOCK);
}

// Wine's ws2_32 answers SIO_BASE_HANDLE but not the three SIO_BSP_HANDLE
// ioctls (WSAEOPNOTSUPP), so there the fallback is tried and fails; a real
// Windows answers them (.github/workflows/windows.yml runs this there).
bool under_wine() {
    const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
    return ntdll != nullptr && ::GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

}  // namespace

TEST_CASE("a selector is a completion port, and a failing create leaks nothing") {
    const metalio::test::FdLeakCheck no_leak;
    {
        const Selector selector = make_selector();
        CHECK(selector.port() != nullptr);
        CHECK(selector.id() != 0);
        CHECK(selector.afd_handle_count() == 0);  // opened with the first socket
    }
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_nth(0, ERROR_TOO_MANY_OPEN_FILES);
    const auto failed = Selector::create();
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error() == std::errc::too_many_files_open);
}

TEST_CASE("sent data is reported readable with its token, once: the emulated edge") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = socket_pair();
    const Selector selector = make_selector();
    auto state = selector.register_(pair.b.get(), Token{7}, Interest::READABLE);
    REQUIRE_MESSAGE(state.has_value(), metalio::test::why(state));
    Events events = Events::with_capacity(8);
    CHECK(poll_once(selector, events, 0ms).empty());

    send_text(pair.a.get(), "hello");
    const auto ready = poll_once(selector, events, 5s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].token() == Token{7});
    CHECK(ready[0].is_readable());
    CHECK_FALSE(ready[0].is_writable());
    CHECK_FALSE(ready[0].is_read_closed());

    // Not drained, still readable, but not reported again: the selector
    // disarmed READABLE when it reported it...
    send_text(pair.a.get(), " again");
    CHECK(poll_once(selector, events, 50ms).empty());
    // ...until the program re-arms (IoSource does this after WouldBlock).
    drain(pair.b.get());
    send_text(pair.a.get(), "!");
    REQUIRE(selector.reregister(**state, Token{7}, Interest::READABLE));
    const auto again = poll_once(selector, events, 5s);
    REQUIRE(again.size() == 1);
    CHECK(again[0].is_readable());
    REQUIRE(selector.deregister(**state));
}

TEST_CASE("a connected socket is writable at once, and reregister changes token and interests") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = socket_pair();
    const Selector selector = make_selector();
    auto state = selector.register_(pair.b.get(), Token{1}, Interest::READABLE);
    REQUIRE(state.has_value());
    Events events = Events::with_capacity(8);
    CHECK(poll_once(selector, events, 0ms).empty());

    // The request in flight waits for READABLE only: it is cancelled and a
    // new one, with WRITABLE too, is made when the cancellation completes.
    REQUIRE(selector.reregister(**state, Token{2}, Interest::READABLE | Interest::WRITABLE));
    const auto ready = poll_once(selector, events, 5s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].token() == Token{2});
    CHECK(ready[0].is_writable());
    CHECK_FALSE(ready[0].is_readable());
    REQUIRE(selector.deregister(**state));
}

TEST_CASE("deregister cancels the poll in flight: no event afterwards, and the state is released") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = socket_pair();
    const Selector selector = make_selector();
    auto state = selector.register_(pair.b.get(), Token{3}, Interest::READABLE);
    REQUIRE(state.has_value());
    CHECK(selector.polls_in_flight() == 1);

    REQUIRE(selector.deregister(**state));
    CHECK(selector.deregister(**state).error() == Errc::not_registered);
    CHECK(selector.reregister(**state, Token{3}, Interest::READABLE).error() == Errc::not_registered);
    send_text(pair.a.get(), "too late");
    Events events = Events::with_capacity(8);
    // The cancelled request still completes (STATUS_CANCELLED); select
    // swallows it and hands back the reference it held.
    CHECK(poll_once(selector, events, 100ms).empty());
    CHECK(selector.polls_in_flight() == 0);
    CHECK(state->use_count() == 1);
}

TEST_CASE("a socket closed while registered: the completion comes after close and is dropped") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = socket_pair();
    const Selector selector = make_selector();
    auto state = selector.register_(pair.b.get(), Token{4}, Interest::READABLE);
    REQUIRE(state.has_value());
    // closesocket() completes every AFD poll of the socket with
    // AFD_POLL_LOCAL_CLOSE; the SockState is still alive (the selector
    // holds it while the request is in flight), so the kernel writes into
    // live memory, and select forgets it without an event, as epoll forgets
    // a closed fd.
    pair.b = metalio::sys::windows::OwnedSocket(INVALID_SOCKET);
    send_text(pair.a.get(), "nobody listens");
    Events events = Events::with_capacity(8);
    CHECK(poll_once(selector, events, 100ms).empty());
    CHECK(selector.polls_in_flight() == 0);
    CHECK(selector.reregister(**state, Token{4}, Interest::READABLE).error() == Errc::not_registered);
}

TEST_CASE("a socket closed between its event and the next select is forgotten by the re-arm, without an error") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = socket_pair();
    const Selector selector = make_selector();
    auto state = selector.register_(pair.b.get(), Token{8}, Interest::READABLE);
    REQUIRE(state.has_value());
    send_text(pair.a.get(), "one event");
    Events events = Events::with_capacity(8);
    REQUIRE(poll_once(selector, events, 5s).size() == 1);
    // The re-arm waits for the next select: no request is in flight now,
    // so closing the socket completes nothing...
    CHECK(selector.polls_in_flight() == 0);
    pair.b = metalio::sys::windows::OwnedSocket(INVALID_SOCKET);
    // ...and the re-arm finds an invalid handle: the socket is forgotten,
    // as a LOCAL_CLOSE completion would have done, and select succeeds.
    CHECK(poll_once(selector, events, 50ms).empty());
    CHECK(selector.polls_in_flight() == 0);
    CHECK(selector.reregister(**state, Token{8}, Interest::READABLE).error() == Errc::not_registered);
}

TEST_CASE("the peer's close is readable and read-closed") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = socket_pair();
    const Selector selector = make_selector();
    auto state = selector.register_(pair.b.get(), Token{5}, Interest::READABLE);
    REQUIRE(state.has_value());
    REQUIRE(::shutdown(pair.a.get(), SD_SEND) == 0);
    Events events = Events::with_capacity(8);
    const auto ready = poll_once(selector, events, 5s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].is_readable());
    CHECK(ready[0].is_read_closed());
    REQUIRE(selector.deregister(**state));
}

TEST_CASE("a refused connect is an error event, writable and readable") {
    const metalio::test::FdLeakCheck no_leak;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    {
        // A port that was free a moment ago: nobody listens on it.
        const auto probe = metalio::test::tcp_socket();
        REQUIRE(::bind(probe.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        int length = sizeof addr;
        REQUIRE(::getsockname(probe.get(), reinterpret_cast<sockaddr*>(&addr), &length) == 0);
    }
    const auto client = metalio::test::tcp_socket();
    const Selector selector = make_selector();
    auto state = selector.register_(client.get(), Token{6}, Interest::READABLE | Interest::WRITABLE);
    REQUIRE(state.has_value());
    REQUIRE(::connect(client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == SOCKET_ERROR);
    REQUIRE(::WSAGetLastError() == WSAEWOULDBLOCK);
    Events events = Events::with_capacity(8);
    const auto ready = poll_once(selector, events, 10s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].is_error());
    CHECK(ready[0].is_writable());
    CHECK(ready[0].is_write_closed());
    REQUIRE(selector.deregister(**state));
}

TEST_CASE("sockets share AFD handles, 32 to a handle, and unused handles are closed") {
    const metalio::test::FdLeakCheck no_leak;
    const Selector selector = make_selector();
    std::vector<metalio::test::SocketPair> pairs;
    std::vector<std::shared_ptr<iocp::SockState>> states;
    for (int i = 0; i < 33; ++i) {
        pairs.push_back(socket_pair());
        auto state = selector.register_(pairs.back().b.get(), Token{static_cast<std::size_t>(i)}, Interest::READABLE);
        REQUIRE(state.has_value());
        states.push_back(std::move(*state));
    }
    CHECK(selector.afd_handle_count() == 2);
    CHECK(selector.polls_in_flight() == 33);
    for (auto& state : states) REQUIRE(selector.deregister(*state));
    Events events = Events::with_capacity(64);
    CHECK(poll_once(selector, events, 100ms).empty());
    states.clear();
    CHECK(poll_once(selector, events, 0ms).empty());
    CHECK(selector.polls_in_flight() == 0);
    CHECK(selector.afd_handle_count() == 0);
}

TEST_CASE("wake posts a packet: a readable event with its token, one per wake") {
    const Selector selector = make_selector();
    REQUIRE(selector.wake(Token{9}));
    REQUIRE(selector.wake(Token{9}));
    Events events = Events::with_capacity(8);
    const auto ready = poll_once(selector, events, 5s);
    REQUIRE(ready.size() == 2);  // completion packets do not coalesce, eventfd writes do
    CHECK(ready[0].token() == Token{9});
    CHECK(ready[0].is_readable());
}

TEST_CASE("register from another thread while select blocks: the blocked select sees it") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = socket_pair();
    send_text(pair.a.get(), "waiting already");
    const Selector selector = make_selector();
    std::shared_ptr<iocp::SockState> state;
    std::thread other([&] {
        std::this_thread::sleep_for(50ms);
        auto registered = selector.register_(pair.b.get(), Token{11}, Interest::READABLE);
        if (registered) state = std::move(*registered);
    });
    Events events = Events::with_capacity(8);
    const auto ready = poll_once(selector, events, 10s);
    other.join();
    REQUIRE(state != nullptr);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].token() == Token{11});
    REQUIRE(selector.deregister(*state));
}

TEST_CASE("select checks its arguments, and a clone is the same selector") {
    const Selector selector = make_selector();
    Events none = Events::with_capacity(0);
    CHECK(selector.select(none, 0ms).error() == Errc::zero_capacity_events);
    Events events = Events::with_capacity(4);
    CHECK(selector.select(events, -1ms).error() == Errc::negative_timeout);
    const auto clone = selector.try_clone();
    REQUIRE(clone.has_value());
    CHECK(clone->id() == selector.id());
    REQUIRE(clone->wake(Token{1}));
    CHECK(poll_once(selector, events, 5s).size() == 1);
}

TEST_CASE("registering something that is not a socket fails cleanly") {
    const metalio::test::FdLeakCheck no_leak;
    const Selector selector = make_selector();
    const auto registered = selector.register_(INVALID_SOCKET, Token{1}, Interest::READABLE);
    REQUIRE_FALSE(registered.has_value());
    CHECK(registered.error() == std::errc::not_a_socket);
    CHECK(selector.afd_handle_count() == 0);
}

TEST_CASE("destroying a selector with polls in flight cancels them and takes back the completions already queued") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = socket_pair();
    std::shared_ptr<iocp::SockState> state;
    {
        const Selector selector = make_selector();
        auto registered = selector.register_(pair.b.get(), Token{1}, Interest::READABLE);
        REQUIRE(registered.has_value());
        state = std::move(*registered);
    }
    CHECK(state.use_count() == 1);  // the selector gave its reference back
}

TEST_CASE("a poll started by a thread that has exited still completes when cancelled") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = socket_pair();
    const Selector selector = make_selector();
    std::shared_ptr<iocp::SockState> state;
    std::thread([&] {
        auto registered = selector.register_(pair.b.get(), Token{12}, Interest::READABLE);
        if (registered) state = std::move(*registered);
    }).join();
    REQUIRE(state != nullptr);
    REQUIRE(selector.deregister(*state));
    Events events = Events::with_capacity(8);
    CHECK(poll_once(selector, events, 1s).empty());
    CHECK(selector.polls_in_flight() == 0);
}

// Issue 21: where the IOCP selector must match mio beyond what Wine shows by
// itself: batches as large as the Events, a destructor that never waits, one
// socket's failed re-arm kept on that socket, one select() at a time, and
// the base-handle fallback for layered service providers.

TEST_CASE("one select returns a batch as large as the Events, past 64") {
    const Selector selector = make_selector();
    constexpr std::size_t kWakes = 150;
    for (std::size_t i = 0; i < kWakes; ++i) REQUIRE(selector.wake(Token{i}));
    Events events = Events::with_capacity(200);
    REQUIRE(selector.select(events, 5s));
    CHECK(events.size() == kWakes);  // all of them, in one GetQueuedCompletionStatusEx
    // And never more than the capacity: the rest waits for the next call.
    for (std::size_t i = 0; i < kWakes; ++i) REQUIRE(selector.wake(Token{i}));
    Events small = Events::with_capacity(100);
    REQUIRE(selector.select(small, 5s));
    CHECK(small.size() == 100);
    REQUIRE(selector.select(small, 5s));
    CHECK(small.size() == kWakes - 100);
}

TEST_CASE("destroying a selector whose poll cannot be cancelled returns at once and leaks that state") {
    auto pair = socket_pair();
    std::shared_ptr<iocp::SockState> state;
    std::chrono::steady_clock::duration took{};
    {
        Selector selector = make_selector();
        auto registered = selector.register_(pair.b.get(), Token{1}, Interest::READABLE);
        REQUIRE(registered.has_value());
        state = std::move(*registered);
        // The cancel in the destructor fails: the request stays in flight
        // and no completion will come while the socket is open. mio, and
        // metalio, drain with a zero timeout and leak what is still pending.
        fault::reset();
        fault::fail_next("NtCancelIoFileEx", ERROR_NOT_ENOUGH_MEMORY);
        const auto start = std::chrono::steady_clock::now();
        {
            const Selector last = std::move(selector);  // the only handle: its end is the destructor
        }
        took = std::chrono::steady_clock::now() - start;
        CHECK(fault::fired() == "NtCancelIoFileEx");
        fault::reset();
    }
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
    MESSAGE("the destructor with a poll in flight took " << millis << " ms");
    // The old destructor waited up to 5 s for the completion; the bound here
    // is generous for a loaded machine, the number above is the measure.
    CHECK(took < 1s);
    WARN(took < 50ms);
    CHECK(state.use_count() == 2);  // ours, and the one the request keeps (leaked on purpose)
}

TEST_CASE("a re-arm that fails is that socket's error: the others still get their events") {
    auto first = socket_pair();
    auto second = socket_pair();
    const Selector selector = make_selector();
    auto a = selector.register_(first.b.get(), Token{1}, Interest::READABLE);
    auto b = selector.register_(second.b.get(), Token{2}, Interest::READABLE);
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    send_text(first.a.get(), "x");
    send_text(second.a.get(), "x");
    Events events = Events::with_capacity(8);
    std::set<std::size_t> seen;
    for (int turn = 0; turn < 20 && seen.size() < 2; ++turn) {
        REQUIRE(selector.select(events, 5s));
        for (const auto& event : events) seen.insert(event.token().value);
    }
    REQUIRE(seen.size() == 2);
    // Both completions are queued for their re-arm, which the next select()
    // starts: make the first of those two polls fail.
    drain(first.b.get());
    drain(second.b.get());
    REQUIRE(selector.reregister(**a, Token{1}, Interest::READABLE));
    REQUIRE(selector.reregister(**b, Token{2}, Interest::READABLE));
    send_text(first.a.get(), "x");
    send_text(second.a.get(), "x");
    fault::reset();
    fault::fail_next("NtDeviceIoControlFile", ERROR_NOT_ENOUGH_MEMORY);
    std::optional<std::size_t> failed;
    std::set<std::size_t> readable;
    for (int turn = 0; turn < 20 && (!failed || readable.empty()); ++turn) {
        const auto polled = selector.select(events, 5s);
        REQUIRE_MESSAGE(polled.has_value(), metalio::test::why(polled));  // never the whole poll's error
        for (const auto& event : events) {
            if (event.is_error()) {
                CHECK(event.is_readable());
                CHECK(event.is_writable());
                failed = event.token().value;
            } else {
                readable.insert(event.token().value);
            }
        }
    }
    fault::reset();
    REQUIRE(failed.has_value());
    const std::size_t other = *failed == 1 ? 2 : 1;
    CHECK(readable == std::set<std::size_t>{other});
    // The failed socket's owner learns why from its next reregister (the
    // re-arm after WouldBlock), once; that reregister re-arms it all the same.
    auto& failed_state = *failed == 1 ? **a : **b;
    const auto rearmed = selector.reregister(failed_state, Token{*failed}, Interest::READABLE);
    REQUIRE_FALSE(rearmed.has_value());
    CHECK(rearmed.error() == std::errc::not_enough_memory);
    bool reported = false;
    for (int turn = 0; turn < 20 && !reported; ++turn) {
        REQUIRE(selector.select(events, 5s));
        for (const auto& event : events) {
            if (event.token().value == *failed && event.is_readable() && !event.is_error()) reported = true;
        }
    }
    CHECK(reported);  // its data, now that it is polled again
    CHECK(selector.reregister(failed_state, Token{*failed}, Interest::READABLE));
}

TEST_CASE("one select at a time: a second thread's select is refused, not half-served") {
    const Selector selector = make_selector();
    std::size_t woken = 0;
    std::thread waiter([&] {
        Events events = Events::with_capacity(4);
        // Refused too while the main thread's select() below happens to run:
        // try again a moment later.
        const auto give_up = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < give_up) {
            const auto polled = selector.select(events, 10s);
            if (polled) woken = events.size();
            if (polled || polled.error() != std::errc::device_or_resource_busy) return;
            std::this_thread::sleep_for(1ms);
        }
    });
    Events events = Events::with_capacity(4);
    bool refused = false;
    // Until the waiter is inside select(): a select() before that simply
    // finds nothing (timeout 0).
    for (int i = 0; i < 500 && !refused; ++i) {
        const auto polled = selector.select(events, 0ms);
        if (!polled) {
            CHECK(polled.error() == std::errc::device_or_resource_busy);
            refused = true;
        } else {
            std::this_thread::sleep_for(10ms);
        }
    }
    REQUIRE(selector.wake(Token{3}));
    waiter.join();
    CHECK(refused);
    CHECK(woken == 1);
}

TEST_CASE("a layered service provider that fails SIO_BASE_HANDLE: the fallback ioctls are asked, in mio's order") {
    const metalio::test::FdLeakCheck no_leak;
    auto pair = socket_pair();
    const Selector selector = make_selector();
    fault::reset();
    fault::fail_next("WSAIoctl", WSAEOPNOTSUPP);  // the first: SIO_BASE_HANDLE
    auto registered = selector.register_(pair.b.get(), Token{5}, Interest::READABLE);
    CHECK(fault::fired() == "WSAIoctl");
    const std::size_t calls = fault::calls();
    fault::reset();
    if (under_wine()) {
        // SIO_BASE_HANDLE (failed), then SIO_BSP_HANDLE_SELECT, _POLL and
        // SIO_BSP_HANDLE, each refused by Wine: SIO_BASE_HANDLE's error.
        CHECK(calls == 4);
        REQUIRE_FALSE(registered.has_value());
        CHECK(registered.error() == std::errc::operation_not_supported);
        CHECK(selector.afd_handle_count() == 0);
        return;
    }
    REQUIRE_MESSAGE(registered.has_value(), metalio::test::why(registered));
    send_text(pair.a.get(), "x");
    Events events = Events::with_capacity(4);
    bool readable = false;
    for (int turn = 0; turn < 20 && !readable; ++turn) {
        REQUIRE(selector.select(events, 5s));
        for (const auto& event : events) readable = readable || (event.token() == Token{5} && event.is_readable());
    }
    CHECK(readable);
    REQUIRE(selector.deregister(**registered));
}
