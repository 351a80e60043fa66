// Tests of exercise 05 (wait_for_token). Each message says what to change.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "exercise.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/posix/source_fd.hpp"
#include "metalio_test.hpp"

using namespace std::chrono_literals;
using metalio::Events;
using metalio::Interest;
using metalio::Poll;
using metalio::Token;
using metalio::exercise::wait_for_token;
using metalio::sys::OwnedFd;

namespace {

struct Pipe {
    OwnedFd reader{-1}, writer{-1};
};

Pipe register_pipe(const Poll& poll, Token token) {
    int ends[2];
    REQUIRE(metalio::test::pipe(ends) == 0);
    Pipe pipe{OwnedFd(ends[0]), OwnedFd(ends[1])};
    REQUIRE(poll.registry().register_(metalio::posix::SourceFd{pipe.reader.get()}, token, Interest::READABLE));
    return pipe;
}

Poll make_poll() {
    auto poll = Poll::create();
    REQUIRE(poll.has_value());
    return std::move(*poll);
}

std::string describe(const metalio::io::Result<bool>& result) {
    if (!result) return "an error: " + result.error().message();
    return *result ? "true" : "false";
}

// Stops the test case with a plain message if wait_for_token failed.
#define REQUIRE_NO_ERROR(result) \
    REQUIRE_MESSAGE((result).has_value(), "wait_for_token returned ", describe(result), \
                    " although nothing went wrong")

}  // namespace

TEST_CASE("returns true when the wanted token becomes ready during the wait") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const Pipe pipe = register_pipe(poll, Token{1});
    Events events = Events::with_capacity(4);
    std::thread writer([&] {
        std::this_thread::sleep_for(20ms);
        REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);
    });
    const auto found = wait_for_token(poll, events, Token{1}, 5s);
    writer.join();
    REQUIRE_NO_ERROR(found);
    CHECK_MESSAGE(found == true, "the pipe with the wanted token became readable, but the result was ",
                  describe(found));
}

TEST_CASE("with a zero timeout, a token that is ready right now is still found") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const Pipe pipe = register_pipe(poll, Token{1});
    REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);
    Events events = Events::with_capacity(4);
    const auto found = wait_for_token(poll, events, Token{1}, 0ms);
    REQUIRE_NO_ERROR(found);
    CHECK_MESSAGE(found == true, "the token was ready before the call, but with a zero timeout the result was ",
                  describe(found), ": poll once, with a zero timeout, before giving up");
}

TEST_CASE("returns false once the timeout has passed with nothing ready") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const Pipe pipe = register_pipe(poll, Token{1});
    Events events = Events::with_capacity(4);
    const auto start = std::chrono::steady_clock::now();
    const auto found = wait_for_token(poll, events, Token{1}, 100ms);
    const auto waited = std::chrono::steady_clock::now() - start;
    REQUIRE_NO_ERROR(found);
    CHECK_MESSAGE(found == false, "nothing was written, so the result should be false, but it was ", describe(found));
    CHECK_MESSAGE(waited >= 100ms, "it gave up after ",
                  std::chrono::duration_cast<std::chrono::milliseconds>(waited).count(),
                  " ms: it must wait the whole timeout");
}

TEST_CASE("events of other tokens do not end the wait") {
    const metalio::test::FdLeakCheck no_leak;
    Poll poll = make_poll();
    const Pipe wanted = register_pipe(poll, Token{1});
    const Pipe other = register_pipe(poll, Token{2});
    REQUIRE(::write(other.writer.get(), "x", 1) == 1);
    Events events = Events::with_capacity(4);
    const auto found = wait_for_token(poll, events, Token{1}, 100ms);
    REQUIRE_NO_ERROR(found);
    CHECK_MESSAGE(found == false, "only token 2 was ready, but waiting for token 1 gave ", describe(found),
                  ": look at event.token() before answering true");

    std::thread writer([&] {
        std::this_thread::sleep_for(20ms);
        REQUIRE(::write(other.writer.get(), "y", 1) == 1);
        std::this_thread::sleep_for(20ms);
        REQUIRE(::write(wanted.writer.get(), "x", 1) == 1);
    });
    const auto later = wait_for_token(poll, events, Token{1}, 5s);
    writer.join();
    REQUIRE_NO_ERROR(later);
    CHECK_MESSAGE(later == true, "token 2 fired first and token 1 later, but the result was ", describe(later),
                  ": after other tokens' events, keep waiting");
}

TEST_CASE("it sleeps in the kernel: a 100 ms wait with nothing ready takes only a few polls") {
    Poll poll = make_poll();
    Events events = Events::with_capacity(4);
    metalio::sys::fault::reset();  // also resets the count of system calls
    const auto found = wait_for_token(poll, events, Token{1}, 100ms);
    const std::size_t polls = metalio::sys::fault::calls();
    metalio::sys::fault::reset();
    REQUIRE_NO_ERROR(found);
    CHECK_MESSAGE(found == false, "nothing was registered, but the result was ", describe(found));
    CHECK_MESSAGE(polls <= 10, "it polled ", polls,
                  " times in 100 ms: that is a busy loop. Pass the time that is left to poll(), not zero");
}

TEST_CASE("a signal during the wait is retried, not reported as an error") {
    struct sigaction action{};
    action.sa_handler = [](int) {};
    REQUIRE(::sigaction(SIGUSR1, &action, nullptr) == 0);  // no SA_RESTART: epoll_wait returns EINTR

    Poll poll = make_poll();
    Events events = Events::with_capacity(4);
    const pthread_t waiter = ::pthread_self();
    std::atomic<bool> done{false};
    std::thread signaller([&] {
        // A signal every 5 ms while the wait lasts (at most 2 s, so that a
        // wrong answer cannot keep this test running forever).
        for (int i = 0; i < 400 && !done.load(); ++i) {
            ::pthread_kill(waiter, SIGUSR1);
            std::this_thread::sleep_for(5ms);
        }
    });
    const auto start = std::chrono::steady_clock::now();
    const auto found = wait_for_token(poll, events, Token{1}, 100ms);
    const auto waited = std::chrono::steady_clock::now() - start;
    done = true;
    signaller.join();
    if (!found && metalio::io::is_interrupted(found.error())) {
        FAIL("a signal interrupted poll() and wait_for_token reported it as an error: when "
             "io::is_interrupted(error) is true, poll again");
    }
    REQUIRE_NO_ERROR(found);
    CHECK_MESSAGE(*found == false, "nothing was ready, but the result was true");
    CHECK_MESSAGE(waited >= 100ms, "with signals arriving, it returned after ",
                  std::chrono::duration_cast<std::chrono::milliseconds>(waited).count(),
                  " ms instead of waiting the whole 100 ms");
}

TEST_CASE("any error other than Interrupted is returned, unchanged") {
    Poll poll = make_poll();
    Events none = Events::with_capacity(0);  // poll() refuses this
    const auto found = wait_for_token(poll, none, Token{1}, 100ms);
    REQUIRE_MESSAGE(!found.has_value(), "poll() failed (zero-capacity Events), but the result was ", describe(found));
    REQUIRE_MESSAGE(found.error() == metalio::Errc::zero_capacity_events,
                  "the error of poll() must come back unchanged, got: ", metalio::test::why(found));
}
