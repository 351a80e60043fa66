// Stage 05: the Poll facade, on every selector. A listener with a client
// waiting is the ready source (Windows' AFD driver polls sockets only).
#include <cerrno>
#include <thread>
#include <type_traits>

#include "metalio/net/tcp_listener.hpp"
#include "metalio/poll.hpp"
#include "metalio_test.hpp"

using namespace std::chrono_literals;
using metalio::Events;
using metalio::Interest;
using metalio::Poll;
using metalio::Token;

static_assert(!std::is_copy_constructible_v<Poll>, "one Poll owns its selector");
static_assert(std::is_move_constructible_v<Poll>);

TEST_CASE("a poll with nothing registered and a 100 ms timeout returns, empty") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = Poll::create();
    REQUIRE(poll.has_value());
    Events events = Events::with_capacity(8);
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(poll->poll(events, 100ms));
    CHECK(events.empty());
    CHECK(std::chrono::steady_clock::now() - start >= 100ms);
}

TEST_CASE("poll returns what the registry registered, also from another thread") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = Poll::create();
    REQUIRE(poll.has_value());
    auto listener = metalio::net::TcpListener::bind(*metalio::net::SocketAddr::parse("127.0.0.1:0"));
    REQUIRE(listener.has_value());
    const auto client = metalio::net::TcpStream::connect(*listener->local_addr());
    REQUIRE(client.has_value());

    const metalio::Registry& registry = poll->registry();
    std::thread other([&] {
        std::this_thread::sleep_for(20ms);
        REQUIRE(registry.register_(*listener, Token{2}, Interest::READABLE));
    });
    Events events = Events::with_capacity(8);
    const auto polled = poll->poll(events, 10s);
    other.join();
    REQUIRE(polled.has_value());
    REQUIRE(events.size() == 1);
    CHECK((*events.begin()).token() == Token{2});
    REQUIRE(registry.deregister(*listener));
}

TEST_CASE("Poll::create reports a failing selector, and leaks nothing") {
    const metalio::test::FdLeakCheck no_leak;
    metalio::sys::fault::reset();
#if defined(_WIN32)
    metalio::sys::fault::fail_nth(0, ERROR_NOT_ENOUGH_MEMORY);  // CreateIoCompletionPort
#else
    metalio::sys::fault::fail_nth(0, ENFILE);
#endif
    const auto poll = Poll::create();
    metalio::sys::fault::reset();
    REQUIRE_FALSE(poll.has_value());
#if defined(_WIN32)
    CHECK(poll.error() == std::errc::not_enough_memory);
#else
    CHECK(poll.error() == std::errc::too_many_files_open_in_system);
#endif
}
