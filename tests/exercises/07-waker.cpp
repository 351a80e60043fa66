// Tests of exercise 07 (PipeWaker: a Waker made of a pipe). Each message
// says what to change. They run on whichever selector the build has.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include "exercise.hpp"
#include "metalio/events.hpp"
#include "metalio/poll.hpp"
#include "metalio_test.hpp"

using namespace std::chrono_literals;
using metalio::Events;
using metalio::Poll;
using metalio::Token;
using metalio::exercise::PipeWaker;
namespace fault = metalio::sys::fault;

namespace {

constexpr Token kWake{42};

Poll make_poll() {
    auto poll = Poll::create();
    REQUIRE_MESSAGE(poll.has_value(), "Poll::create failed: ", metalio::test::why(poll));
    return std::move(*poll);
}

PipeWaker make_waker(const Poll& poll) {
    auto waker = PipeWaker::create(poll.registry(), kWake);
    REQUIRE_MESSAGE(waker.has_value(), "PipeWaker::create failed: ", metalio::test::why(waker));
    return std::move(*waker);
}

// Polls once and counts the events that carry the waker's token.
std::size_t wake_events(Poll& poll, std::chrono::milliseconds timeout) {
    Events events = Events::with_capacity(16);
    const auto polled = poll.poll(events, timeout);
    REQUIRE_MESSAGE(polled.has_value(), "Poll::poll failed: ", metalio::test::why(polled));
    std::size_t count = 0;
    for (const auto& event : events) {
        if (event.token() == kWake) {
            CHECK_MESSAGE(event.is_readable(), "the waker's event is not readable: register the read end for READABLE");
            ++count;
        }
    }
    return count;
}

// True if the pipe's read end has nothing left to read.
bool pipe_is_empty(int reader) {
    unsigned char byte;
    const auto got = ::read(reader, &byte, 1);
    return got == -1 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

constexpr int kMoreThanAPipeHolds = 70'000;  // a Linux pipe holds 65,536 bytes

}  // namespace

TEST_CASE("create: the read end is non-blocking and close-on-exec") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const PipeWaker waker = make_waker(poll);
    const int reader = waker.as_raw_fd();
    REQUIRE_MESSAGE(::fcntl(reader, F_GETFD) != -1, "as_raw_fd() is not an open descriptor: keep the read end in reader_");
    CHECK_MESSAGE((::fcntl(reader, F_GETFL) & O_NONBLOCK) != 0,
                  "the read end blocks: reset() would hang on an empty pipe; ask pipe2 for O_NONBLOCK");
    CHECK_MESSAGE((::fcntl(reader, F_GETFD) & FD_CLOEXEC) != 0,
                  "the read end would leak into programs this process starts: ask pipe2 for O_CLOEXEC");
}

TEST_CASE("a wake from another thread ends a blocking poll with the waker's token") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const PipeWaker waker = make_waker(poll);
    metalio::io::Result<void> woken;
    std::thread other([&] { woken = waker.wake(); });
    // Long enough never to run out under load; a wake ends it at once.
    const auto seen = wake_events(poll, 20s);
    other.join();
    REQUIRE_MESSAGE(woken.has_value(), "wake() failed: ", metalio::test::why(woken));
    CHECK_MESSAGE(seen == 1, "a wake must end the poll with one event with the waker's token; saw ", seen,
                  ": is the read end registered READABLE under the token given to create()?");
}

TEST_CASE("wakes nobody polled for coalesce, even past a full pipe; reset() empties the pipe") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const PipeWaker waker = make_waker(poll);
    for (int i = 0; i < kMoreThanAPipeHolds; ++i) {
        const auto woken = waker.wake();
        REQUIRE_MESSAGE(woken.has_value(), "wake number ", i + 1, " failed (", metalio::test::why(woken),
                        "): a full pipe (WouldBlock) means a wake-up is already pending, which is success");
    }
    CHECK_MESSAGE(wake_events(poll, 1s) == 1, "70,000 wakes before a poll must give exactly one event");
    const auto reset = waker.reset();
    REQUIRE_MESSAGE(reset.has_value(), "reset() failed: ", metalio::test::why(reset));
    CHECK_MESSAGE(pipe_is_empty(waker.as_raw_fd()),
                  "after reset() the pipe still holds bytes: read until WouldBlock, not just once");
}

TEST_CASE("after reset(), the next wake is reported again (and nothing before it)") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const PipeWaker waker = make_waker(poll);
    for (int round = 1; round <= 3; ++round) {
        INFO("round ", round, " of wake, poll, reset");
        REQUIRE(waker.wake().has_value());
        REQUIRE_MESSAGE(wake_events(poll, 10s) == 1,
                        "the wake was not reported: after draining a raw fd, the poll(2) selector needs it "
                        "re-armed (chapter 02: reregister it with the same token and interest)");
        const auto reset = waker.reset();
        REQUIRE_MESSAGE(reset.has_value(), "reset() failed: ", metalio::test::why(reset));
        CHECK_MESSAGE(wake_events(poll, 0ms) == 0, "an event with the waker's token came with no wake after reset()");
    }
}

TEST_CASE("wake(): only a full pipe is success; every other error comes back") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const PipeWaker waker = make_waker(poll);
    fault::reset();
    fault::fail_next("write", EAGAIN);
    const auto full = waker.wake();
    const std::string fired(fault::fired());
    fault::fail_next("write", EBADF);
    const auto bad = waker.wake();
    fault::reset();
    REQUIRE_MESSAGE(fired == "write", "wake() did not call write through METALIO_SYSCALL");
    CHECK_MESSAGE(full.has_value(), "write said WouldBlock (the pipe is full) and wake() reported it as an error: "
                  "a full pipe means a wake-up is already pending");
    REQUIRE_MESSAGE(!bad.has_value(), "write failed with EBADF, and wake() reported success");
    CHECK_MESSAGE(bad.error().value() == EBADF, "wake() must return write's own error, got: ",
                  metalio::test::why(bad));
}

TEST_CASE("reset(): a read interrupted by a signal is tried again") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const PipeWaker waker = make_waker(poll);
    REQUIRE(waker.wake().has_value());
    REQUIRE(waker.wake().has_value());
    fault::reset();
    fault::fail_next("read", EINTR);
    const auto reset = waker.reset();
    const std::string fired(fault::fired());
    fault::reset();
    REQUIRE_MESSAGE(fired == "read", "reset() did not call read through METALIO_SYSCALL");
    REQUIRE_MESSAGE(reset.has_value(), "a signal interrupted a read (EINTR) and reset() failed with ",
                    metalio::test::why(reset), ": an interrupted read is simply made again");
    CHECK_MESSAGE(pipe_is_empty(waker.as_raw_fd()), "after reset() the pipe still holds bytes");
}

TEST_CASE("create() that fails at any step returns its error and leaves nothing behind") {
    Poll poll = make_poll();
    for (std::size_t n = 0; n < 12; ++n) {
        const auto open_before = metalio::test::open_fd_count();
        fault::reset();
        fault::fail_nth(n, ENOMEM);
        {
            auto waker = PipeWaker::create(poll.registry(), kWake);
            const std::string fired(fault::fired());
            fault::reset();
            if (fired.empty()) {
                REQUIRE_MESSAGE(waker.has_value(), "create() failed: ", metalio::test::why(waker));
                break;
            }
            INFO("call number ", n + 1, " of create() (", fired, ") was made to fail with ENOMEM");
            if (!waker.has_value()) {
                CHECK_MESSAGE(waker.error().value() == ENOMEM, "create() must return the failing call's own error, got: ",
                              metalio::test::why(waker));
            }
        }
        CHECK_MESSAGE(metalio::test::open_fd_count() == open_before,
                      "a failed create() left descriptors open: own the pipe's ends in sys::OwnedFd at once");
        // Nothing left registered either: a new PipeWaker under the same
        // token (its pipe may well get the same fd numbers) works.
        {
            const PipeWaker again = make_waker(poll);
            REQUIRE(again.wake().has_value());
            CHECK_MESSAGE(wake_events(poll, 10s) == 1, "a PipeWaker made after a failed create() is not reported");
        }
    }
}

TEST_CASE("a PipeWaker can be destroyed and made again on the same Poll") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    for (int round = 1; round <= 3; ++round) {
        INFO("PipeWaker number ", round, " on one Poll");
        auto made = PipeWaker::create(poll.registry(), kWake);
        REQUIRE_MESSAGE(made.has_value(), "create() failed (", metalio::test::why(made),
                        "): did the destructor of the previous one deregister its read end? The poll(2) "
                        "selector keeps the fd in its table after close(), and the new pipe gets the same number");
        const PipeWaker moved = std::move(*made);  // the moved-from one must own (and deregister) nothing
        REQUIRE(moved.wake().has_value());
        CHECK(wake_events(poll, 10s) == 1);
    }
}
