// Tests of exercise 03 (Pipe, a user-defined Source). Each message says what to change.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <vector>

#include "exercise.hpp"
#include "metalio/events.hpp"
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
    REQUIRE(::pipe2(ends, O_NONBLOCK | O_CLOEXEC) == 0);
    pipe.reader = metalio::sys::OwnedFd(ends[0]);
    pipe.writer = metalio::sys::OwnedFd(ends[1]);
}

// The tokens of the events one short poll returns.
std::vector<Token> poll_tokens(const WaitableRegistry& registry, std::chrono::milliseconds timeout) {
    Events events = Events::with_capacity(8);
    const auto polled = registry.selector.select(events, timeout);
    REQUIRE_MESSAGE(polled.has_value(), "polling failed: ", metalio::test::why(polled));
    std::vector<Token> tokens;
    for (const metalio::Event event : events) tokens.push_back(event.token());
    return tokens;
}

}  // namespace

TEST_CASE("a registered Pipe is reported readable, with its token, once data is written") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    const auto registered = registry.register_(pipe, Token{5}, Interest::READABLE);
    REQUIRE_MESSAGE(registered.has_value(), "register_ failed: ", metalio::test::why(registered));
    REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);
    const auto tokens = poll_tokens(registry, 1000ms);
    REQUIRE_MESSAGE(tokens.size() == 1,
                    "no event after writing into the pipe: does register_ give the selector the read end (reader)?");
    CHECK_MESSAGE(tokens[0] == Token{5}, "the event carries another token than the one given to register_");
}

TEST_CASE("reregister replaces the token; after deregister there are no more events") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    REQUIRE_MESSAGE(registry.register_(pipe, Token{1}, Interest::READABLE), "register_ failed");
    const auto reregistered = registry.reregister(pipe, Token{2}, Interest::READABLE);
    REQUIRE_MESSAGE(reregistered.has_value(), "reregister failed: ", metalio::test::why(reregistered));
    REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);
    const auto tokens = poll_tokens(registry, 1000ms);
    REQUIRE_MESSAGE(tokens.size() == 1, "no event after writing into the pipe: is the read end registered?");
    CHECK_MESSAGE(tokens[0] == Token{2}, "reregister must pass the new token on to the selector");

    const auto deregistered = registry.deregister(pipe);
    REQUIRE_MESSAGE(deregistered.has_value(), "deregister failed: ", metalio::test::why(deregistered));
    REQUIRE(::write(pipe.writer.get(), "y", 1) == 1);
    CHECK_MESSAGE(poll_tokens(registry, 10ms).empty(), "an event arrived after deregister");
}

TEST_CASE("registering the same Pipe twice is refused as already_registered") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    REQUIRE_MESSAGE(registry.register_(pipe, Token{1}, Interest::READABLE), "the first register_ failed");
    const auto twice = registry.register_(pipe, Token{1}, Interest::READABLE);
    REQUIRE_MESSAGE(!twice.has_value(), "a second register_ of the same Pipe reported success");
    CHECK_MESSAGE(twice.error() == Errc::already_registered, "expected already_registered, got: ",
                  metalio::test::why(twice));
}

TEST_CASE("a Pipe registered with one registry is refused by another, which says registered_elsewhere") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry first = make_registry();
    const WaitableRegistry second = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    REQUIRE_MESSAGE(first.register_(pipe, Token{1}, Interest::READABLE), "register_ with the first registry failed");
    const auto elsewhere = second.register_(pipe, Token{1}, Interest::READABLE);
    REQUIRE_MESSAGE(!elsewhere.has_value(),
                    "a second registry accepted a Pipe that the first one has: claim the Pipe with "
                    "selector_id.associate(registry) before registering it");
    CHECK_MESSAGE(elsewhere.error() == Errc::registered_elsewhere, "expected registered_elsewhere, got: ",
                  metalio::test::why(elsewhere));
    const auto moved = second.reregister(pipe, Token{1}, Interest::READABLE);
    REQUIRE_MESSAGE(!moved.has_value(), "reregister with a registry the Pipe is not registered with reported success");
    CHECK_MESSAGE(moved.error() == Errc::registered_elsewhere,
                  "reregister must check the claim (selector_id.check_association) first; got: ",
                  metalio::test::why(moved));
}

TEST_CASE("reregister or deregister of a Pipe that was never registered is refused as not_registered") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    const auto reregistered = registry.reregister(pipe, Token{1}, Interest::READABLE);
    REQUIRE_MESSAGE(!reregistered.has_value(), "reregister before register_ reported success");
    CHECK_MESSAGE(reregistered.error() == Errc::not_registered, "expected not_registered, got: ",
                  metalio::test::why(reregistered));
    const auto deregistered = registry.deregister(pipe);
    REQUIRE_MESSAGE(!deregistered.has_value(), "deregister before register_ reported success");
    CHECK_MESSAGE(deregistered.error() == Errc::not_registered, "expected not_registered, got: ",
                  metalio::test::why(deregistered));
}

TEST_CASE("when the selector refuses, register_ returns its error and the Pipe can be registered later") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pipe pipe;
    open_pipe(pipe);
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_next(METALIO_SELECTOR_POLL ? "fcntl" : "epoll_ctl", ENOMEM);
    const auto failed = registry.register_(pipe, Token{1}, Interest::READABLE);
    metalio::sys::fault::reset();
    REQUIRE_MESSAGE(!failed.has_value(),
                    "the selector failed (ENOMEM), but register_ reported success: return SourceFd's error");
    REQUIRE_MESSAGE(failed.error() == std::errc::not_enough_memory, "register_ must return the selector's own error, got: ",
                  metalio::test::why(failed));
    const auto again = registry.register_(pipe, Token{1}, Interest::READABLE);
    CHECK_MESSAGE(again.has_value(),
                  "after a failed register_ the Pipe could not be registered again: give the claim back with "
                  "selector_id.remove_association(registry) when the selector refuses; got: ",
                  again ? std::string() : again.error().message());
}
