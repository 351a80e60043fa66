// Behaviour suite, part 3: Waker. One wake gives one event with the
// waker's token; wakes coalesce; any thread can end a blocking poll; one
// Waker per Poll.
#include <atomic>
#include <thread>

#include "behaviour.hpp"
#include "joining_thread.hpp"
#include "metalio/error.hpp"
#include "metalio/waker.hpp"

using namespace behaviour;
using metalio::Errc;
using metalio::Waker;

namespace {

constexpr Token kWaker{99};

Waker make_waker(const metalio::Registry& registry) {
    auto waker = Waker::create(registry, kWaker);
    REQUIRE_MESSAGE(waker.has_value(), "Waker::create failed: ", why(waker));
    return std::move(*waker);
}

void check_one_wake_event(const std::vector<Event>& events) {
    REQUIRE_MESSAGE(events.size() == 1, "expected exactly one event (the waker's), got ", events.size());
    CHECK_MESSAGE(events[0].token() == kWaker, "the event carries token ", events[0].token().value,
                  ", not the waker's token ", kWaker.value);
    CHECK_MESSAGE(events[0].is_readable(), "a waker's event must be readable");
}

}  // namespace

BEHAVIOUR("one wake makes the next poll return the waker's token as readable") {
    Poll poll = make_poll();
    const Waker waker = make_waker(poll.registry());
    CHECK_MESSAGE(poll_once(poll, 0ms).empty(), "an event came before anybody called wake()");
    REQUIRE(waker.wake());
    check_one_wake_event(poll_once(poll, kEventWait));
    CHECK_MESSAGE(poll_once(poll, kQuietWait).empty(), "one wake was reported twice");
}

#if !defined(_WIN32)
// Not on Windows: each wake posts its own completion packet, and packets do
// not coalesce (tests/07-waker/windows/waker_test.cpp checks that instead).
BEHAVIOUR("several wakes before a poll coalesce into one event") {
    Poll poll = make_poll();
    const Waker waker = make_waker(poll.registry());
    for (int i = 0; i < 5; ++i) REQUIRE(waker.wake());
    check_one_wake_event(poll_once(poll, kEventWait));
    CHECK_MESSAGE(poll_once(poll, kQuietWait).empty(), "five wakes before one poll gave more than one event");
}
#endif

BEHAVIOUR("a wake from another thread ends a blocking poll") {
    Poll poll = make_poll();
    const Waker waker = make_waker(poll.registry());
    std::atomic<bool> woke{false};
    const auto start = std::chrono::steady_clock::now();
    std::vector<Event> events;
    {
        const metalio::test::JoiningThread other([&] {
            std::this_thread::sleep_for(50ms);
            woke.store(waker.wake().has_value());
        });
        events = poll_once(poll, 10s);  // only the wake should end it; bounded all the same
    }  // joins
    REQUIRE_MESSAGE(woke.load(), "wake() failed on the other thread");
    REQUIRE_MESSAGE(!events.empty(), "the poll ran into its 10 s timeout: the wake from the other thread did not end it");
    check_one_wake_event(events);
    CHECK(std::chrono::steady_clock::now() - start >= 50ms);
}

BEHAVIOUR("two wakes from two threads, each followed by a poll, give two events and then nothing") {
    Poll poll = make_poll();
    const Waker waker = make_waker(poll.registry());
    for (int round = 0; round < 2; ++round) {
        CAPTURE(round);
        std::atomic<bool> woke{false};
        { const metalio::test::JoiningThread other([&] { woke.store(waker.wake().has_value()); }); }
        REQUIRE_MESSAGE(woke.load(), "wake() failed on thread ", round);
        check_one_wake_event(poll_once(poll, kEventWait));
    }
    CHECK_MESSAGE(poll_once(poll, kQuietWait).empty(), "after both wakes were reported, a poll still found an event");
}

BEHAVIOUR("a second Waker on one Poll is an error, also through a cloned Registry, until the first is gone") {
    Poll poll = make_poll();
    {
        const Waker first = make_waker(poll.registry());
        const auto second = Waker::create(poll.registry(), Token{100});
        REQUIRE_MESSAGE(!second.has_value(), "a second Waker was created on the same Poll");
        CHECK(second.error() == Errc::waker_exists);
        auto clone = poll.registry().try_clone();
        REQUIRE(clone.has_value());
        const auto via_clone = Waker::create(*clone, Token{101});
        REQUIRE_MESSAGE(!via_clone.has_value(), "a second Waker was created through a cloned Registry");
        CHECK(via_clone.error() == Errc::waker_exists);
    }
    const auto after = Waker::create(poll.registry(), Token{102});
    CHECK_MESSAGE(after.has_value(), "once the first Waker is gone a new one must be allowed: ", why(after));
}
