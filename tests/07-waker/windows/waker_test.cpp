// Stage 07 on Windows: the Waker posts a completion packet to the Poll's
// port. The promises of tests/07-waker/waker_test.cpp, except those about
// the eventfd (its counter, its fd, coalescing), which Windows has not.
#include <atomic>
#include <thread>
#include <vector>

#include "metalio/poll.hpp"
#include "metalio/waker.hpp"
#include "metalio_test.hpp"

using namespace std::chrono_literals;
using metalio::Errc;
using metalio::Events;
using metalio::Poll;
using metalio::Token;
using metalio::Waker;

namespace {

Poll make_poll() {
    auto poll = Poll::create();
    REQUIRE(poll.has_value());
    return std::move(*poll);
}

std::vector<Token> poll_tokens(Poll& poll, std::optional<std::chrono::nanoseconds> timeout) {
    Events events = Events::with_capacity(64);
    const auto polled = poll.poll(events, timeout);
    REQUIRE_MESSAGE(polled.has_value(), metalio::test::why(polled));
    std::vector<Token> tokens;
    for (const metalio::Event event : events) {
        CHECK(event.is_readable());
        tokens.push_back(event.token());
    }
    return tokens;
}

}  // namespace

TEST_CASE("one wake makes the next poll return the waker's token as readable") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const auto waker = Waker::create(poll.registry(), Token{10});
    REQUIRE(waker.has_value());
    CHECK(poll_tokens(poll, 0ms).empty());
    REQUIRE(waker->wake());
    CHECK(poll_tokens(poll, 5s) == std::vector<Token>{Token{10}});
    CHECK(poll_tokens(poll, 0ms).empty());
}

TEST_CASE("wakes before a poll do not coalesce on Windows: one packet, one event each") {
    Poll poll = make_poll();
    const auto waker = Waker::create(poll.registry(), Token{3});
    REQUIRE(waker.has_value());
    REQUIRE(waker->wake());
    REQUIRE(waker->wake());
    REQUIRE(waker->wake());
    CHECK(poll_tokens(poll, 5s) == std::vector<Token>{Token{3}, Token{3}, Token{3}});
}

TEST_CASE("a wake from another thread ends a blocking poll") {
    Poll poll = make_poll();
    const auto waker = Waker::create(poll.registry(), Token{1});
    REQUIRE(waker.has_value());
    std::thread other([&] {
        std::this_thread::sleep_for(50ms);
        CHECK(waker->wake());
    });
    const auto start = std::chrono::steady_clock::now();
    const auto tokens = poll_tokens(poll, std::nullopt);
    other.join();
    CHECK(tokens == std::vector<Token>{Token{1}});
    CHECK(std::chrono::steady_clock::now() - start >= 50ms);
}

TEST_CASE("many threads waking at once: every wake succeeds and arrives") {
    Poll poll = make_poll();
    const auto waker = Waker::create(poll.registry(), Token{7});
    REQUIRE(waker.has_value());
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            for (int j = 0; j < 10; ++j) {
                if (!waker->wake()) ++failed;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(failed == 0);
    std::size_t seen = 0;
    while (seen < 80) {
        const auto tokens = poll_tokens(poll, 5s);
        REQUIRE_FALSE(tokens.empty());
        seen += tokens.size();
    }
    CHECK(seen == 80);
}

TEST_CASE("a second Waker on one Poll is refused with Errc::waker_exists, also through a registry clone") {
    Poll poll = make_poll();
    {
        const auto first = Waker::create(poll.registry(), Token{1});
        REQUIRE(first.has_value());
        CHECK(Waker::create(poll.registry(), Token{2}).error() == Errc::waker_exists);
        const auto clone = poll.registry().try_clone();
        REQUIRE(clone.has_value());
        CHECK(Waker::create(*clone, Token{3}).error() == Errc::waker_exists);
    }
    // The first one is gone: its slot is free again.
    const auto again = Waker::create(poll.registry(), Token{4});
    CHECK(again.has_value());
}

TEST_CASE("a moved Waker keeps working, and the moved-from one owns nothing") {
    Poll poll = make_poll();
    auto made = Waker::create(poll.registry(), Token{5});
    REQUIRE(made.has_value());
    Waker moved(std::move(*made));
    REQUIRE(moved.wake());
    CHECK(poll_tokens(poll, 5s) == std::vector<Token>{Token{5}});
}

TEST_CASE("wake reports a failing PostQueuedCompletionStatus") {
    Poll poll = make_poll();
    const auto waker = Waker::create(poll.registry(), Token{6});
    REQUIRE(waker.has_value());
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_next("PostQueuedCompletionStatus", ERROR_NOT_ENOUGH_MEMORY);
    const auto woken = waker->wake();
    metalio::sys::fault::reset();
    REQUIRE_FALSE(woken.has_value());
    CHECK(woken.error() == std::errc::not_enough_memory);
    CHECK(poll_tokens(poll, 0ms).empty());
}
