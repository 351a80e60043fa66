// Stage 05: the Poll facade.
#include <fcntl.h>
#include <unistd.h>

#include <thread>
#include <type_traits>

#include "metalio/poll.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/posix/source_fd.hpp"
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
    int ends[2];
    REQUIRE(::pipe2(ends, O_NONBLOCK | O_CLOEXEC) == 0);
    const metalio::sys::OwnedFd reader(ends[0]), writer(ends[1]);
    REQUIRE(::write(writer.get(), "x", 1) == 1);

    const metalio::Registry& registry = poll->registry();
    std::thread other([&] {
        std::this_thread::sleep_for(20ms);
        REQUIRE(registry.register_(metalio::posix::SourceFd{reader.get()}, Token{2}, Interest::READABLE));
    });
    Events events = Events::with_capacity(8);
    const auto polled = poll->poll(events, 10s);
    other.join();
    REQUIRE(polled.has_value());
    REQUIRE(events.size() == 1);
    CHECK((*events.begin()).token() == Token{2});
}

TEST_CASE("Poll::create reports a failing selector, and leaks nothing") {
    const metalio::test::FdLeakCheck no_leak;
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_nth(0, ENFILE);
    const auto poll = Poll::create();
    metalio::sys::fault::reset();
    REQUIRE_FALSE(poll.has_value());
    CHECK(poll.error() == std::errc::too_many_files_open_in_system);
}
