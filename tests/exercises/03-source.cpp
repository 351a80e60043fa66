// Tests of exercise 03 (Pipe, a Source with two fds). Each message says
// what is wrong and where to look, without printing the answer.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "exercise.hpp"
#include "metalio/events.hpp"
#include "metalio/posix/source_fd.hpp"
#include "metalio_test.hpp"
#include "waitable_registry.hpp"

using namespace std::chrono_literals;
using metalio::Errc;
using metalio::Events;
using metalio::Interest;
using metalio::Registry;
using metalio::Token;
using metalio::exercise::Pipe;

static_assert(metalio::Source<Pipe>, "Pipe must keep the three member functions declared in exercise.hpp");

namespace {

using metalio::test::WaitableRegistry;

WaitableRegistry make_registry() { return metalio::test::make_waitable_registry(); }

void open_pipe(Pipe& pipe) {
    int ends[2];
    REQUIRE(metalio::test::pipe(ends) == 0);
    pipe.reader = metalio::sys::OwnedFd(ends[0]);
    pipe.writer = metalio::sys::OwnedFd(ends[1]);
}

struct Seen {
    Token token;
    bool readable;
    bool writable;
};

// The events one short poll returns.
std::vector<Seen> poll_events(const WaitableRegistry& registry, std::chrono::milliseconds timeout) {
    Events events = Events::with_capacity(8);
    const auto polled = registry.selector.select(events, timeout);
    REQUIRE_MESSAGE(polled.has_value(), "polling failed: ", metalio::test::why(polled));
    std::vector<Seen> seen;
    for (const metalio::Event event : events) seen.push_back({event.token(), event.is_readable(), event.is_writable()});
    return seen;
}

bool any_readable(const std::vector<Seen>& seen, Token token) {
    return std::ranges::any_of(seen, [&](const Seen& s) { return s.readable && s.token == token; });
}
bool any_writable(const std::vector<Seen>& seen, Token token) {
    return std::ranges::any_of(seen, [&](const Seen& s) { return s.writable && s.token == token; });
}
bool any_readable(const std::vector<Seen>& seen) {
    return std::ranges::any_of(seen, [](const Seen& s) { return s.readable; });
}

}  // namespace

TEST_CASE("READABLE: the reader is watched, and data written is reported with the token") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    const auto registered = registry.register_(pipe, Token{5}, Interest::READABLE);
    REQUIRE_MESSAGE(registered.has_value(), "register_(READABLE) failed: ", metalio::test::why(registered));
    CHECK_MESSAGE(pipe.reader_registered, "reader_registered must be true while the reader is registered");
    CHECK_MESSAGE(!pipe.writer_registered, "READABLE alone must not register the writer");
    CHECK_MESSAGE(poll_events(registry, 0ms).empty(),
                  "an event before anything was written: READABLE must not watch the writer end");
    REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);
    const auto seen = poll_events(registry, 1000ms);
    CHECK_MESSAGE(any_readable(seen, Token{5}),
                  "no readable event with token 5 after writing into the pipe: is the reader end registered?");
}

TEST_CASE("WRITABLE: the writer is watched, and its room is reported with the token") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    const auto registered = registry.register_(pipe, Token{6}, Interest::WRITABLE);
    REQUIRE_MESSAGE(registered.has_value(), "register_(WRITABLE) failed: ", metalio::test::why(registered));
    CHECK_MESSAGE(pipe.writer_registered, "writer_registered must be true while the writer is registered");
    CHECK_MESSAGE(!pipe.reader_registered, "WRITABLE alone must not register the reader");
    const auto seen = poll_events(registry, 1000ms);
    CHECK_MESSAGE(any_writable(seen, Token{6}),
                  "no writable event with token 6: an empty pipe has room, so the writer end, registered for "
                  "WRITABLE, is writable at once. (The reader end never is.)");
}

TEST_CASE("READABLE | WRITABLE watches both ends under one token") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    const auto registered = registry.register_(pipe, Token{7}, Interest::READABLE | Interest::WRITABLE);
    REQUIRE_MESSAGE(registered.has_value(), "register_(READABLE | WRITABLE) failed: ", metalio::test::why(registered));
    CHECK_MESSAGE(any_writable(poll_events(registry, 1000ms), Token{7}), "the writer end was not reported writable");
    REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);
    CHECK_MESSAGE(any_readable(poll_events(registry, 1000ms), Token{7}), "the reader end was not reported readable");
}

TEST_CASE("reregister moves the watch between the ends and passes the new token on") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    REQUIRE_MESSAGE(registry.register_(pipe, Token{1}, Interest::READABLE), "register_(READABLE) failed");

    auto moved = registry.reregister(pipe, Token{2}, Interest::WRITABLE);
    REQUIRE_MESSAGE(moved.has_value(), "reregister(WRITABLE) failed: ", metalio::test::why(moved));
    CHECK_MESSAGE(pipe.writer_registered, "after reregister(WRITABLE) the writer must be registered");
    CHECK_MESSAGE(!pipe.reader_registered,
                  "after reregister(WRITABLE) the reader is still registered: an end no longer wanted is "
                  "deregistered");
    CHECK_MESSAGE(any_writable(poll_events(registry, 1000ms), Token{2}),
                  "after reregister(WRITABLE, token 2) no writable event with token 2");
    REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);
    CHECK_MESSAGE(!any_readable(poll_events(registry, 10ms)),
                  "a readable event after the Pipe was moved to WRITABLE only: the reader is still watched");

    moved = registry.reregister(pipe, Token{3}, Interest::READABLE | Interest::WRITABLE);
    REQUIRE_MESSAGE(moved.has_value(), "reregister(READABLE | WRITABLE) failed: ", metalio::test::why(moved));
    CHECK_MESSAGE((pipe.reader_registered && pipe.writer_registered),
                  "after reregister(READABLE | WRITABLE) both ends must be registered");
    REQUIRE(::write(pipe.writer.get(), "y", 1) == 1);
    CHECK_MESSAGE(any_readable(poll_events(registry, 1000ms), Token{3}),
                  "after reregister(READABLE | WRITABLE, token 3) the data was not reported with token 3");
}

TEST_CASE("deregister stops both ends, and the Pipe can be registered again") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    REQUIRE_MESSAGE(registry.register_(pipe, Token{1}, Interest::READABLE | Interest::WRITABLE), "register_ failed");
    (void)poll_events(registry, 100ms);
    const auto deregistered = registry.deregister(pipe);
    REQUIRE_MESSAGE(deregistered.has_value(), "deregister failed: ", metalio::test::why(deregistered));
    CHECK_MESSAGE((!pipe.reader_registered && !pipe.writer_registered), "after deregister no end may be registered");
    REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);
    CHECK_MESSAGE(poll_events(registry, 10ms).empty(), "an event arrived after deregister");
    const auto again = registry.register_(pipe, Token{2}, Interest::READABLE);
    CHECK_MESSAGE(again.has_value(), "after deregister the Pipe cannot be registered again (forget the claim last): ",
                  metalio::test::why(again));
}

TEST_CASE("PRIORITY is refused with invalid_argument, and nothing is claimed") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    const auto refused = registry.register_(pipe, Token{1}, Interest::READABLE | Interest::PRIORITY);
    REQUIRE_MESSAGE(!refused.has_value(), "register_ with PRIORITY reported success: a pipe has no priority data");
    CHECK_MESSAGE(refused.error() == std::errc::invalid_argument, "expected invalid_argument, got: ",
                  metalio::test::why(refused));
    CHECK_MESSAGE((!pipe.reader_registered && !pipe.writer_registered), "a refused register_ registered an end");
    const auto later = registry.register_(pipe, Token{1}, Interest::READABLE);
    CHECK_MESSAGE(later.has_value(), "after refusing PRIORITY the Pipe cannot be registered: refuse before claiming; ",
                  metalio::test::why(later));
    const auto reregistered = registry.reregister(pipe, Token{1}, Interest::PRIORITY);
    REQUIRE_MESSAGE(!reregistered.has_value(), "reregister with PRIORITY reported success");
    CHECK_MESSAGE(reregistered.error() == std::errc::invalid_argument, "expected invalid_argument, got: ",
                  metalio::test::why(reregistered));
}

TEST_CASE("the claim: twice is already_registered, another registry is registered_elsewhere") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry first = make_registry();
    const WaitableRegistry second = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    REQUIRE_MESSAGE(first.register_(pipe, Token{1}, Interest::READABLE), "register_ with the first registry failed");
    const auto twice = first.register_(pipe, Token{1}, Interest::WRITABLE);
    REQUIRE_MESSAGE(!twice.has_value(), "a second register_ of the same Pipe reported success");
    CHECK_MESSAGE(twice.error() == Errc::already_registered, "expected already_registered, got: ",
                  metalio::test::why(twice));
    const auto elsewhere = second.register_(pipe, Token{1}, Interest::WRITABLE);
    REQUIRE_MESSAGE(!elsewhere.has_value(),
                    "a second registry accepted a Pipe that the first one has: claim it before registering");
    CHECK_MESSAGE(elsewhere.error() == Errc::registered_elsewhere, "expected registered_elsewhere, got: ",
                  metalio::test::why(elsewhere));
    const auto moved = second.reregister(pipe, Token{1}, Interest::READABLE);
    REQUIRE_MESSAGE(!moved.has_value(), "reregister with a registry the Pipe is not registered with reported success");
    CHECK_MESSAGE(moved.error() == Errc::registered_elsewhere, "reregister must check the claim first; got: ",
                  metalio::test::why(moved));
    const auto never = Pipe{}.deregister(first);
    CHECK_MESSAGE((!never.has_value() && never.error() == Errc::not_registered),
                  "deregister of a Pipe never registered must say not_registered; got: ", metalio::test::why(never));
}

TEST_CASE("register_ is all or nothing: when the writer is refused, the reader is not left registered") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    // The reader's registration goes through; the writer's is the next one
    // the selector makes, and it fails.
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_next(METALIO_SELECTOR_POLL ? "fcntl" : "epoll_ctl", ENOMEM, 1);
    const auto failed = registry.register_(pipe, Token{1}, Interest::READABLE | Interest::WRITABLE);
    metalio::sys::fault::reset();
    REQUIRE_MESSAGE(!failed.has_value(), "the selector refused the writer (ENOMEM), but register_ reported success");
    CHECK_MESSAGE(failed.error() == std::errc::not_enough_memory, "register_ must return the selector's own error, got: ",
                  metalio::test::why(failed));
    CHECK_MESSAGE((!pipe.reader_registered && !pipe.writer_registered),
                  "after a failed register_ an end is still marked registered");
    // If the reader were still in the selector, registering its fd directly
    // would be refused as already registered.
    const auto direct = metalio::posix::SourceFd{pipe.reader.get()}.register_(registry, Token{9}, Interest::READABLE);
    CHECK_MESSAGE(direct.has_value(),
                  "the reader stayed registered although register_ failed: undo the end that made it; got: ",
                  metalio::test::why(direct));
    if (direct) (void)metalio::posix::SourceFd{pipe.reader.get()}.deregister(registry);
    const auto again = registry.register_(pipe, Token{1}, Interest::READABLE | Interest::WRITABLE);
    CHECK_MESSAGE(again.has_value(),
                  "after a failed register_ the Pipe could not be registered again: give the claim back; got: ",
                  metalio::test::why(again));
}
