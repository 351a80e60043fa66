// Behaviour suite, part 6: what Poll::poll accepts and what it retries
// (issue #7). Any std::chrono::duration is a timeout: a coarse one (hours,
// years) saturates to "as long as the OS allows" instead of overflowing
// nanoseconds, which UBSan reports in the sanitizer builds. And a transient
// EAGAIN from poll(2) is retried, as mio retries it.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <limits>

#include "behaviour.hpp"
#include "metalio/error.hpp"
#include "metalio/posix/source_fd.hpp"
#include "metalio/sys/fault.hpp"
#include "metalio/sys/owned_fd.hpp"

using namespace behaviour;
using metalio::Errc;
using metalio::posix::SourceFd;
using metalio::sys::OwnedFd;

namespace {

/// A pipe with one unread byte, its read end registered READABLE (token 1):
/// a poll with any timeout returns at once with its event.
struct ReadyPipe {
    OwnedFd reader{-1};
    OwnedFd writer{-1};

    explicit ReadyPipe(Poll& poll) {
        int ends[2];
        REQUIRE_MESSAGE(::pipe2(ends, O_NONBLOCK | O_CLOEXEC) == 0, "pipe2 failed: ", metalio::io::last_os_error());
        reader = OwnedFd(ends[0]);
        writer = OwnedFd(ends[1]);
        REQUIRE(::write(writer.get(), "x", 1) == 1);
        REQUIRE(poll.registry().register_(SourceFd{reader.get()}, Token{1}, Interest::READABLE));
    }
    /// Registers the read end again, so the next poll reports the byte again.
    /// (Deregister and register, not reregister: libkqueue does not report
    /// data that was already waiting when a registration is only renewed.)
    void rearm(Poll& poll) const {
        REQUIRE(poll.registry().deregister(SourceFd{reader.get()}));
        REQUIRE(poll.registry().register_(SourceFd{reader.get()}, Token{1}, Interest::READABLE));
    }
    void deregister(Poll& poll) const { REQUIRE(poll.registry().deregister(SourceFd{reader.get()})); }
};

/// Polls with @p timeout while the pipe is ready: must succeed at once with its event.
template <class Timeout>
void check_returns_event(Poll& poll, const ReadyPipe& pipe, Timeout timeout, const char* what) {
    pipe.rearm(poll);
    Events events = Events::with_capacity(8);
    const auto polled = poll.poll(events, timeout);
    REQUIRE_MESSAGE(polled.has_value(), "poll with a timeout of ", what, " failed: ", why(polled));
    CHECK_MESSAGE(events.size() == 1, "poll with a timeout of ", what, " returned ", events.size(),
                  " events instead of the pipe's one");
}

}  // namespace

BEHAVIOUR("poll takes any std::chrono::duration: hours::max(), years{400} and a double are 'as long as the OS allows'") {
    Poll poll = make_poll();
    const ReadyPipe pipe(poll);
    check_returns_event(poll, pipe, std::chrono::hours::max(), "hours::max()");
    check_returns_event(poll, pipe, std::chrono::years{400}, "years{400}");
    check_returns_event(poll, pipe, std::chrono::days::max(), "days::max()");
    check_returns_event(poll, pipe, std::chrono::seconds::max(), "seconds::max()");
    check_returns_event(poll, pipe, std::chrono::nanoseconds::max(), "nanoseconds::max()");
    check_returns_event(poll, pipe, std::chrono::duration<unsigned long long>::max(), "duration<unsigned long long>::max()");
    check_returns_event(poll, pipe, std::chrono::duration<double>(1e300), "duration<double>(1e300) seconds");
    check_returns_event(poll, pipe, std::chrono::duration<double>(std::numeric_limits<double>::infinity()),
                        "an infinite duration<double>");
    check_returns_event(poll, pipe, std::optional<std::chrono::hours>(std::chrono::hours::max()),
                        "optional<hours>(hours::max())");
    check_returns_event(poll, pipe, std::optional<std::chrono::hours>(), "an empty optional<hours>");
    check_returns_event(poll, pipe, std::chrono::duration<int, std::pico>(1), "1 ps");
    pipe.deregister(poll);
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
// selector hands back every error of its wait unchanged (EINTR included).
BEHAVIOUR("an EAGAIN from poll(2) is retried, while epoll_wait and kevent errors come back unchanged") {
    Poll poll = make_poll();
    const ReadyPipe pipe(poll);
    Events events = Events::with_capacity(8);
    const char* wait_call = METALIO_SELECTOR_POLL ? "poll" : METALIO_SELECTOR_KQUEUE ? "kevent" : "epoll_wait";
    metalio::sys::fault::reset();  // count this poll's wrapped calls only
    metalio::sys::fault::fail_next(wait_call, EAGAIN);
    const auto polled = poll.poll(events, kEventWait);
    const std::size_t calls = metalio::sys::fault::calls();
    metalio::sys::fault::reset();
    if (METALIO_SELECTOR_POLL) {
        REQUIRE_MESSAGE(polled.has_value(), "poll(2) failed once with EAGAIN and Poll::poll returned it: ",
                        why(polled));
        CHECK_MESSAGE(events.size() == 1, "after retrying, the ready pipe's event is missing");
        CHECK_MESSAGE(calls >= 2, "the EAGAIN was not retried (", calls, " wrapped calls)");
    } else {
        REQUIRE_MESSAGE(!polled.has_value(), wait_call, " failed with EAGAIN, but Poll::poll succeeded");
        CHECK(polled.error() == std::errc::resource_unavailable_try_again);
    }
    pipe.deregister(poll);
}
