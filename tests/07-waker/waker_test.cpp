// Stage 07: Waker. Every test runs on the selector of the build (epoll,
// poll(2) with -DMETALIO_SELECTOR=poll, or kqueue), and under
// ThreadSanitizer in build/tsan.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <type_traits>
#include <vector>

#include "metalio/poll.hpp"
#include "metalio/sys/fault.hpp"
#include "metalio/posix/source_fd.hpp"
#include "metalio/sys/unix/portable/pipe.hpp"
#include "metalio/sys/unix/portable/wake_fd.hpp"
#include "metalio/waker.hpp"
#include "metalio_test.hpp"
#include "selector_facts.hpp"

using namespace std::chrono_literals;
using metalio::Errc;
using metalio::Events;
using metalio::Poll;
using metalio::Token;
using metalio::Waker;

static_assert(!std::is_copy_constructible_v<Waker>, "a Waker owns its eventfd");
static_assert(std::is_nothrow_move_constructible_v<Waker>);

namespace {

constexpr Token kWaker{42};

using metalio::test::kRegisterSyscall;  // the one the build's selector registers with
using metalio::test::kWakerHasFd;

// The call that makes what a Waker wakes with: an eventfd, or a pipe where
// there is none (pipe2, or pipe on macOS); on kqueue a pipe, or (user
// events) the kevent() that adds the event.
#if METALIO_SELECTOR_KQUEUE && METALIO_KQUEUE_USER_WAKER
const char* const kWakerMakeSyscall = "kevent";
#elif METALIO_SELECTOR_KQUEUE
const char* const kWakerMakeSyscall = metalio::sys::portable::pipe_call();
#else
const char* const kWakerMakeSyscall = metalio::sys::portable::wake_fd_call();
#endif
// create() makes at least that call and a registration; a kqueue user
// event is both at once (one kevent), and the Registry clone is shared.
constexpr std::size_t kWakerCreateCalls = kWakerHasFd ? 2 : 1;

Poll make_poll() {
    auto poll = Poll::create();
    REQUIRE_MESSAGE(poll.has_value(), "Poll::create failed: ", metalio::test::why(poll));
    return std::move(*poll);
}

Waker make_waker(const metalio::Registry& registry) {
    auto waker = Waker::create(registry, kWaker);
    REQUIRE_MESSAGE(waker.has_value(), "Waker::create failed: ", metalio::test::why(waker));
    return std::move(*waker);
}

struct Seen {
    Token token;
    bool readable;
};

// Polls once and returns what it reported.
std::vector<Seen> poll_once(Poll& poll, std::chrono::nanoseconds timeout) {
    Events events = Events::with_capacity(8);
    const auto polled = poll.poll(events, timeout);
    REQUIRE_MESSAGE(polled.has_value(), "poll failed: ", metalio::test::why(polled));
    std::vector<Seen> seen;
    for (const metalio::Event event : events) seen.push_back({event.token(), event.is_readable()});
    return seen;
}

void check_one_wake_event(const std::vector<Seen>& seen) {
    REQUIRE_MESSAGE(seen.size() == 1, "expected exactly one event (the waker's), got ", seen.size());
    CHECK_MESSAGE(seen[0].token == kWaker, "the event should carry the waker's token 42, not ", seen[0].token.value);
    CHECK_MESSAGE(seen[0].readable, "a waker event should be readable");
}

}  // namespace

TEST_CASE("one wake makes the next poll return the waker's token as readable") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const Waker waker = make_waker(poll.registry());
    CHECK_MESSAGE(poll_once(poll, 0ms).empty(), "nothing should be reported before the first wake");
    REQUIRE(waker.wake());
    check_one_wake_event(poll_once(poll, 1s));
}

TEST_CASE("several wakes before a poll coalesce into one event") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const Waker waker = make_waker(poll.registry());
    for (int i = 0; i < 5; ++i) REQUIRE(waker.wake());
    check_one_wake_event(poll_once(poll, 1s));
    CHECK_MESSAGE(poll_once(poll, 0ms).empty(), "five wakes before one poll must give one event, not more");
}

TEST_CASE("a wake from another thread ends a blocking poll") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const Waker waker = make_waker(poll.registry());
    const auto start = std::chrono::steady_clock::now();
    std::atomic<bool> woke{false};
    std::thread other([&] {
        std::this_thread::sleep_for(50ms);
        woke.store(waker.wake().has_value());
    });
    const auto seen = poll_once(poll, 30s);  // long: only a wake should end it
    other.join();
    REQUIRE_MESSAGE(woke.load(), "wake() failed on the other thread");
    CHECK_MESSAGE(!seen.empty(), "the poll returned without the waker's event: it timed out instead of being woken");
    check_one_wake_event(seen);
    CHECK(std::chrono::steady_clock::now() - start >= 50ms);
}

TEST_CASE("two wakes from two threads, each followed by a poll, give two events and then nothing") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const Waker waker = make_waker(poll.registry());
    for (int round = 0; round < 2; ++round) {
        CAPTURE(round);
        std::thread other([&] { CHECK(waker.wake()); });
        other.join();
        check_one_wake_event(poll_once(poll, 1s));
    }
    CHECK_MESSAGE(poll_once(poll, 0ms).empty(), "after both wakes were reported, a poll must find nothing");
}

TEST_CASE("many threads waking at once while the loop polls: every wake succeeds, the loop sees them") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const Waker waker = make_waker(poll.registry());
    std::atomic<int> failures{0};
    std::atomic<int> finished{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                if (!waker.wake()) failures.fetch_add(1);
            }
            finished.fetch_add(1);
        });
    }
    int events = 0;
    while (finished.load() < 4) events += static_cast<int>(poll_once(poll, 10ms).size());
    for (auto& thread : threads) thread.join();
    events += static_cast<int>(poll_once(poll, 0ms).size());
    CHECK_MESSAGE(failures.load() == 0, failures.load(), " wake() calls failed");
    CHECK_MESSAGE(events >= 1, "200 wakes were never seen by the polling thread");
    CHECK_MESSAGE(poll_once(poll, 0ms).empty(), "events kept coming after the last wake was reported");
}

TEST_CASE("a second Waker on one Poll is refused with Errc::waker_exists, also through a registry clone") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    auto clone = poll.registry().try_clone();
    REQUIRE(clone.has_value());
    std::optional<Waker> first = make_waker(poll.registry());

    const auto second = Waker::create(poll.registry(), Token{1});
    REQUIRE_FALSE_MESSAGE(second.has_value(), "two Wakers were created on one Poll");
    CHECK(second.error() == Errc::waker_exists);
    const auto through_clone = Waker::create(*clone, Token{1});
    REQUIRE_FALSE_MESSAGE(through_clone.has_value(), "a registry clone let a second Waker in");
    CHECK(through_clone.error() == Errc::waker_exists);

    SUBCASE("after the first Waker is destroyed a new one can be created") {
        first.reset();
        const auto again = Waker::create(*clone, Token{1});
        CHECK_MESSAGE(again.has_value(), "destroying the Waker did not free the Poll's Waker slot");
    }
    SUBCASE("moving a Waker keeps the claim; destroying the moved-to Waker frees it") {
        std::optional<Waker> moved(std::move(*first));
        first.reset();  // the moved-from Waker must not give the slot back
        CHECK(Waker::create(poll.registry(), Token{1}).error() == Errc::waker_exists);
        REQUIRE(moved->wake());
        check_one_wake_event(poll_once(poll, 1s));
        moved.reset();
        CHECK(Waker::create(poll.registry(), Token{1}).has_value());
    }
}

TEST_CASE("Wakers on two different Polls are independent") {
    const metalio::test::FdLeakCheck no_leak;
    Poll a = make_poll(), b = make_poll();
    const Waker on_a = make_waker(a.registry());
    const Waker on_b = make_waker(b.registry());
    REQUIRE(on_a.wake());
    check_one_wake_event(poll_once(a, 1s));
    CHECK_MESSAGE(poll_once(b, 0ms).empty(), "waking Poll a woke Poll b");
}

TEST_CASE("a destroyed Waker leaves no registration behind: its fd number can be registered again") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    int old_fd = -1;
    {
        const Waker waker = make_waker(poll.registry());
        old_fd = waker.as_raw_fd();
        REQUIRE(waker.wake());
    }
    CHECK_MESSAGE(poll_once(poll, 0ms).empty(), "a destroyed Waker's event was still reported");
    if constexpr (!kWakerHasFd) {
        // A kqueue user event: no fd to reuse; the poll above is the test.
        CHECK(old_fd == -1);
        return;
    }
    // Put a fresh fd (a pipe's read end) at exactly the old number (which
    // must be free now).
    REQUIRE_MESSAGE(::fcntl(old_fd, F_GETFD) == -1, "the destroyed Waker's fd ", old_fd, " is still open");
    int ends[2] = {-1, -1};
    REQUIRE(metalio::sys::portable::pipe(ends));
    metalio::sys::OwnedFd fresh(ends[0]);
    const metalio::sys::OwnedFd unused_writer(ends[1]);
    if (fresh.get() != old_fd) {
        const int moved = ::dup2(fresh.get(), old_fd);
        REQUIRE(moved == old_fd);
        fresh = metalio::sys::OwnedFd(moved);
    }
    const int reused = fresh.get();
    const auto registered =
        poll.registry().register_(metalio::posix::SourceFd{reused}, Token{7}, metalio::Interest::READABLE);
    CHECK_MESSAGE(registered.has_value(), "the old Waker fd is still registered with the selector");
    if (registered) REQUIRE(poll.registry().deregister(metalio::posix::SourceFd{reused}));
}

#if !METALIO_TEST_WAKER_IS_EVENTFD
// No eventfd counter to overflow. What can fill up: the pipe of a pipe
// Waker (64 KiB of wakes nobody polled); a kqueue user event just stays
// triggered. Either way: many wakes, one event, then nothing.
TEST_CASE("100000 wakes nobody polls still give one event, then nothing") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const Waker waker = make_waker(poll.registry());
    for (int i = 0; i < 100000; ++i) {
        const auto woken = waker.wake();
        REQUIRE_MESSAGE(woken.has_value(), "wake ", i, " failed: ", metalio::test::why(woken));
    }
    check_one_wake_event(poll_once(poll, 1s));
    CHECK_MESSAGE(poll_once(poll, 0ms).empty(), "the wakes were reported more than once");
}
#else
TEST_CASE("wake() still works when the eventfd counter is about to overflow") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const Waker waker = make_waker(poll.registry());
    // The largest value an eventfd can hold; adding 1 to it would block.
    const std::uint64_t almost_full = 0xfffffffffffffffe;
    // No poll in between: the poll(2) selector empties a Waker's eventfd
    // when it reports it, which would take the counter back to zero.
    REQUIRE(::write(waker.as_raw_fd(), &almost_full, sizeof almost_full) == sizeof almost_full);

    const auto woken = waker.wake();
    REQUIRE_MESSAGE(woken.has_value(), "wake() on a full counter must reset it and succeed, got: ",
                    metalio::test::why(woken));
    check_one_wake_event(poll_once(poll, 1s));  // our write and the wake: one event
    std::uint64_t count = 0;
#if METALIO_SELECTOR_POLL
    // The poll(2) selector emptied the eventfd when it reported it.
    CHECK_MESSAGE(::read(waker.as_raw_fd(), &count, sizeof count) == -1, "the counter was not emptied: ", count);
#else
    REQUIRE(::read(waker.as_raw_fd(), &count, sizeof count) == sizeof count);
    CHECK_MESSAGE(count == 1, "after the reset the counter should hold just the new wake, holds ", count);
#endif
}

#endif

TEST_CASE("Waker::create fails cleanly when making its eventfd (kqueue: pipe, or user event) fails") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_next(kWakerMakeSyscall, EMFILE);
    const auto waker = Waker::create(poll.registry(), kWaker);
    metalio::sys::fault::reset();
    REQUIRE_FALSE(waker.has_value());
    CHECK(waker.error() == std::errc::too_many_files_open);
    CHECK_MESSAGE(Waker::create(poll.registry(), kWaker).has_value(), "the failed create kept the Waker slot");
}

TEST_CASE("Waker::create fails cleanly when registering the eventfd fails") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_next(kRegisterSyscall, ENOMEM);
    const auto waker = Waker::create(poll.registry(), kWaker);
    metalio::sys::fault::reset();
    CAPTURE(kRegisterSyscall);
    REQUIRE_FALSE(waker.has_value());
    CHECK(waker.error() == std::errc::not_enough_memory);
    CHECK_MESSAGE(Waker::create(poll.registry(), kWaker).has_value(), "the failed create kept the Waker slot");
}

TEST_CASE("Waker::create fails cleanly whichever of its system calls fails") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    metalio::sys::fault::reset();
    std::size_t calls = 0;
    {
        const Waker waker = make_waker(poll.registry());
        calls = metalio::sys::fault::calls();
    }
    REQUIRE_MESSAGE(calls >= kWakerCreateCalls, "Waker::create should make at least ", kWakerCreateCalls,
                    " system calls (what it wakes with, and a registration)");
    for (std::size_t n = 0; n < calls; ++n) {
        CAPTURE(n);
        metalio::sys::fault::reset();
        metalio::sys::fault::fail_nth(n, EIO);
        const auto waker = Waker::create(poll.registry(), kWaker);
        metalio::sys::fault::reset();
        REQUIRE_FALSE_MESSAGE(waker.has_value(), "system call ", n, " failed but create succeeded");
        CHECK(waker.error() == std::errc::io_error);
    }
    CHECK_MESSAGE(Waker::create(poll.registry(), kWaker).has_value(), "a failed create kept the Waker slot");
}
