// Stage 02: Token, Interest, the timeout conversion and the flag mapping of
// the build's selector (epoll, poll(2) or kqueue).
#include "metalio_test.hpp"

#include <bit>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <type_traits>
#include <unordered_map>

#include "metalio/events.hpp"
#include "metalio/interest.hpp"
#include "metalio/sys/timeout.hpp"
#include "metalio/token.hpp"

using namespace std::chrono_literals;
using metalio::Interest;
using metalio::Token;

TEST_CASE("Interest: unions, removal, and no way to be empty") {
    static_assert(!std::is_default_constructible_v<Interest>, "an empty Interest must not be constructible");
    const Interest both = Interest::READABLE | Interest::WRITABLE;
    CHECK(both.is_readable());
    CHECK(both.is_writable());
    CHECK_FALSE(both.is_priority());
    CHECK(both == Interest::READABLE.add(Interest::WRITABLE));
    CHECK(both.remove(Interest::WRITABLE) == Interest::READABLE);
    CHECK_FALSE(Interest::READABLE.remove(Interest::READABLE).has_value());
    CHECK(Interest::PRIORITY.is_priority());
}

TEST_CASE("Token: compared and hashed by value") {
    std::unordered_map<Token, int> by_token{{Token{1}, 10}, {Token{2}, 20}};
    CHECK(by_token.at(Token{2}) == 20);
    CHECK(Token{1} < Token{2});
    CHECK(Token{3} == Token{3});
}

TEST_CASE("timeouts: none waits, zero polls, sub-millisecond rounds up, huge clamps, negative is an error") {
    using metalio::sys::timeout_to_millis;
    CHECK(timeout_to_millis(std::nullopt) == -1);
    CHECK(timeout_to_millis(0ns) == 0);
    CHECK(timeout_to_millis(1ns) == 1);
    CHECK(timeout_to_millis(999us) == 1);
    CHECK(timeout_to_millis(1ms) == 1);
    CHECK(timeout_to_millis(1ms + 1ns) == 2);
    CHECK(timeout_to_millis(std::chrono::hours(24 * 365)) == INT_MAX);
    CHECK(timeout_to_millis(std::chrono::nanoseconds::max()) == INT_MAX);
    const auto negative = timeout_to_millis(-1ms);
    REQUIRE_FALSE(negative.has_value());
    CHECK(negative.error() == metalio::Errc::negative_timeout);
}

TEST_CASE("Events: capacity is fixed, a new buffer is empty") {
    const auto events = metalio::Events::with_capacity(128);
    CHECK(events.capacity() == 128);
    CHECK(events.size() == 0);
    CHECK(events.empty());
    CHECK(events.begin() == events.end());
}

#if METALIO_SELECTOR_EPOLL
TEST_CASE("epoll: interests map to edge-triggered flags as in mio") {
    using metalio::sys::epoll::interests_to_epoll;
    CHECK(interests_to_epoll(Interest::READABLE) == (EPOLLET | EPOLLIN | EPOLLRDHUP));
    CHECK(interests_to_epoll(Interest::WRITABLE) == (EPOLLET | EPOLLOUT));
    CHECK(interests_to_epoll(Interest::PRIORITY) == (EPOLLET | EPOLLPRI));
    CHECK(interests_to_epoll(Interest::READABLE | Interest::WRITABLE) == (EPOLLET | EPOLLIN | EPOLLRDHUP | EPOLLOUT));
}

TEST_CASE("epoll: events answer their questions from the flags") {
    using namespace metalio::sys::epoll;
    auto with = [](std::uint32_t flags) { return Event{flags, {.u64 = 42}}; };
    CHECK(token(with(EPOLLIN)) == Token{42});
    CHECK(is_readable(with(EPOLLIN)));
    CHECK(is_readable(with(EPOLLPRI)));
    CHECK(is_writable(with(EPOLLOUT)));
    CHECK(is_read_closed(with(EPOLLHUP)));
    CHECK(is_read_closed(with(EPOLLIN | EPOLLRDHUP)));
    CHECK_FALSE(is_read_closed(with(EPOLLRDHUP)));
    CHECK(is_write_closed(with(EPOLLHUP)));
    CHECK(is_write_closed(with(EPOLLOUT | EPOLLERR)));
    CHECK(is_write_closed(with(EPOLLERR)));
    CHECK_FALSE(is_write_closed(with(EPOLLIN | EPOLLERR)));
    CHECK(is_error(with(EPOLLERR)));
    CHECK(is_priority(with(EPOLLPRI)));
}
#elif METALIO_SELECTOR_POLL
TEST_CASE("poll(2): interests map to pollfd events") {
    using metalio::sys::poll::interests_to_poll;
    CHECK(interests_to_poll(Interest::READABLE) == (POLLIN | POLLRDHUP));
    CHECK(interests_to_poll(Interest::WRITABLE) == POLLOUT);
    CHECK(interests_to_poll(Interest::PRIORITY) == POLLPRI);
}
#elif METALIO_SELECTOR_KQUEUE
TEST_CASE("kqueue: events answer their questions from filter and flags, as in mio") {
    using namespace metalio::sys::kqueue;
    auto with = [](short filter, unsigned flags, unsigned fflags = 0) {
        Event event{};
        event.filter = static_cast<decltype(event.filter)>(filter);
        event.flags = static_cast<decltype(event.flags)>(flags);
        event.fflags = fflags;
        event.udata = std::bit_cast<decltype(event.udata)>(std::uintptr_t{42});
        return event;
    };
    CHECK(token(with(EVFILT_READ, 0)) == Token{42});
    CHECK(is_readable(with(EVFILT_READ, 0)));
    CHECK_FALSE(is_readable(with(EVFILT_WRITE, 0)));
    CHECK(is_writable(with(EVFILT_WRITE, 0)));
    CHECK_FALSE(is_writable(with(EVFILT_READ, 0)));
    // One filter per event: end-of-file on the read filter is read-closed only.
    CHECK(is_read_closed(with(EVFILT_READ, EV_EOF)));
    CHECK_FALSE(is_write_closed(with(EVFILT_READ, EV_EOF)));
    CHECK(is_write_closed(with(EVFILT_WRITE, EV_EOF)));
    CHECK_FALSE(is_read_closed(with(EVFILT_WRITE, EV_EOF)));
    CHECK(is_error(with(EVFILT_READ, EV_ERROR)));
    CHECK(is_error(with(EVFILT_WRITE, EV_EOF, ECONNRESET)));
    CHECK_FALSE(is_error(with(EVFILT_READ, EV_EOF)));
    CHECK_FALSE(is_priority(with(EVFILT_READ, 0)));
#if METALIO_KQUEUE_USER_WAKER
    CHECK_MESSAGE(is_readable(with(EVFILT_USER, 0)), "the Waker's user event must read as readable");
#endif
}

TEST_CASE("kqueue: the timespec is rounded like the other selectors' milliseconds") {
    using metalio::sys::kqueue::timeout_to_timespec;
    CHECK_FALSE(timeout_to_timespec(std::nullopt).value().has_value());
    const auto zero = timeout_to_timespec(0ns).value().value();
    CHECK((zero.tv_sec == 0 && zero.tv_nsec == 0));
    const auto tiny = timeout_to_timespec(1ns).value().value();
    CHECK_MESSAGE((tiny.tv_sec == 0 && tiny.tv_nsec == 1'000'000), "1 ns must round up to 1 ms, not down to 0");
    const auto longer = timeout_to_timespec(2500ms + 1us).value().value();
    CHECK((longer.tv_sec == 2 && longer.tv_nsec == 501'000'000));
    const auto huge = timeout_to_timespec(std::chrono::nanoseconds::max()).value().value();
    CHECK(huge.tv_sec == INT_MAX / 1000);
    CHECK(timeout_to_timespec(-1ns).error() == metalio::Errc::negative_timeout);
}
#endif
