// Behaviour suite, part 6: what Poll::poll accepts and what it retries
// (issue #7). Any std::chrono::duration is a timeout: a coarse one (hours,
// years) saturates to "as long as the OS allows" instead of overflowing
// nanoseconds, which UBSan reports in the sanitizer builds. And a transient
// EAGAIN from poll(2) is retried, as mio retries it.
#include <cerrno>
#include <limits>

#include "behaviour.hpp"
#include "metalio/error.hpp"
#include "metalio/sys/fault.hpp"

using namespace behaviour;
using metalio::Errc;

namespace {

/// A connection with one unread byte, its accepting end registered READABLE
/// (token 1): a poll with any timeout returns at once with its event. (A
/// TCP connection rather than a pipe, so that it runs on every selector:
/// the AFD driver of the Windows one polls sockets only.)
struct ReadySource {
    Pair pair = connected_pair();

    explicit ReadySource(Poll& poll) {
        REQUIRE(pair.client.write(bytes("x")) == 1u);
        REQUIRE(poll.registry().register_(pair.server, Token{1}, Interest::READABLE));
        // The byte has arrived once the first poll sees it; later polls are then immediate.
        REQUIRE_MESSAGE(wait_for(poll, Token{1}).has_value(), "the byte did not arrive within 5 s");
    }
    /// Registers the reading end again, so the next poll reports the byte again.
    /// (Deregister and register, not reregister: libkqueue does not report
    /// data that was already waiting when a registration is only renewed.)
    void rearm(Poll& poll) const {
        REQUIRE(poll.registry().deregister(pair.server));
        REQUIRE(poll.registry().register_(pair.server, Token{1}, Interest::READABLE));
    }
    void deregister(Poll& poll) const { REQUIRE(poll.registry().deregister(pair.server)); }
};

/// Polls with @p timeout while the source is ready: must succeed at once with its event.
template <class Timeout>
void check_returns_event(Poll& poll, const ReadySource& source, Timeout timeout, const char* what) {
    source.rearm(poll);
    Events events = Events::with_capacity(8);
    const auto polled = poll.poll(events, timeout);
    REQUIRE_MESSAGE(polled.has_value(), "poll with a timeout of ", what, " failed: ", why(polled));
    CHECK_MESSAGE(events.size() == 1, "poll with a timeout of ", what, " returned ", events.size(),
                  " events instead of the ready source's one");
}

}  // namespace

BEHAVIOUR("poll takes any std::chrono::duration: hours::max(), years{400} and a double are 'as long as the OS allows'") {
    Poll poll = make_poll();
    const ReadySource ready(poll);
    check_returns_event(poll, ready, std::chrono::hours::max(), "hours::max()");
    check_returns_event(poll, ready, std::chrono::years{400}, "years{400}");
    check_returns_event(poll, ready, std::chrono::days::max(), "days::max()");
    check_returns_event(poll, ready, std::chrono::seconds::max(), "seconds::max()");
    check_returns_event(poll, ready, std::chrono::nanoseconds::max(), "nanoseconds::max()");
    check_returns_event(poll, ready, std::chrono::duration<unsigned long long>::max(), "duration<unsigned long long>::max()");
    check_returns_event(poll, ready, std::chrono::duration<double>(1e300), "duration<double>(1e300) seconds");
    check_returns_event(poll, ready, std::chrono::duration<double>(std::numeric_limits<double>::infinity()),
                        "an infinite duration<double>");
    check_returns_event(poll, ready, std::optional<std::chrono::hours>(std::chrono::hours::max()),
                        "optional<hours>(hours::max())");
    check_returns_event(poll, ready, std::optional<std::chrono::hours>(), "an empty optional<hours>");
    check_returns_event(poll, ready, std::chrono::duration<int, std::pico>(1), "1 ps");
    ready.deregister(poll);
}

BEHAVIOUR("poll with a negative duration of any unit is Errc::negative_timeout, also at the type's minimum") {
    Poll poll = make_poll();
    Events events = Events::with_capacity(8);
    const auto check_negative = [&](auto timeout, const char* what) {
        const auto polled = poll.poll(events, timeout);
        CHECK_MESSAGE(!polled.has_value(), "poll with a timeout of ", what, " succeeded");
        if (!polled) CHECK_MESSAGE(polled.error() == metalio::make_error_code(Errc::negative_timeout),
                                   "poll with a timeout of ", what, " failed with ", polled.error());
    };
    check_negative(std::chrono::hours::min(), "hours::min()");
    check_negative(std::chrono::years{-400}, "years{-400}");
    check_negative(-1ms, "-1 ms");
    check_negative(std::chrono::duration<double>(-0.5), "-0.5 s as a double");
    check_negative(std::chrono::duration<double>(std::numeric_limits<double>::quiet_NaN()), "NaN seconds");
}

BEHAVIOUR("poll with a zero duration of a coarse unit checks once and returns at once") {
    Poll poll = make_poll();
    Events events = Events::with_capacity(8);
    const auto polled = poll.poll(events, std::chrono::hours{0});
    REQUIRE_MESSAGE(polled.has_value(), "poll with 0 h failed: ", why(polled));
    CHECK(events.size() == 0);  // (a zero that became "for ever" would hang: CTest's timeout fails it)
}

// poll(2) may fail with EAGAIN ("allocation of internal data structures
// failed, but the request may be attempted again"): the poll(2) selector
// tries again, as mio does. epoll_wait(2) has no such error; the epoll
// selector hands back every error of its wait unchanged (EINTR included),
// and so do the kqueue and IOCP ones. (Windows has no EAGAIN: the IOCP
// build injects the "no memory" GetQueuedCompletionStatusEx could give.)
BEHAVIOUR("an EAGAIN from poll(2) is retried, while epoll_wait, kevent and GetQueuedCompletionStatusEx errors come back unchanged") {
    Poll poll = make_poll();
    const ReadySource ready(poll);
    ready.rearm(poll);
    Events events = Events::with_capacity(8);
    const char* wait_call = METALIO_SELECTOR_POLL     ? "poll"
                            : METALIO_SELECTOR_KQUEUE ? "kevent"
                            : METALIO_SELECTOR_IOCP   ? "GetQueuedCompletionStatusEx"
                                                      : "epoll_wait";
#if defined(_WIN32)
    const int injected = ERROR_NOT_ENOUGH_MEMORY;
    const auto expected = std::errc::not_enough_memory;
#else
    const int injected = EAGAIN;
    const auto expected = std::errc::resource_unavailable_try_again;
#endif
    metalio::sys::fault::reset();  // count this poll's wrapped calls only
    metalio::sys::fault::fail_next(wait_call, injected);
    const auto polled = poll.poll(events, kEventWait);
    const std::size_t calls = metalio::sys::fault::calls();
    metalio::sys::fault::reset();
    if (METALIO_SELECTOR_POLL) {
        REQUIRE_MESSAGE(polled.has_value(), "poll(2) failed once with EAGAIN and Poll::poll returned it: ",
                        why(polled));
        CHECK_MESSAGE(events.size() == 1, "after retrying, the ready source's event is missing");
        CHECK_MESSAGE(calls >= 2, "the EAGAIN was not retried (", calls, " wrapped calls)");
    } else {
        REQUIRE_MESSAGE(!polled.has_value(), wait_call, " failed with EAGAIN, but Poll::poll succeeded");
        CHECK(polled.error() == expected);
    }
    ready.deregister(poll);
}
