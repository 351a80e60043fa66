// Stage 02: the selector of this build (epoll, poll(2) or kqueue) against
// real fds. Every behaviour here must hold on all of them; where kqueue
// differs by design, a named fact (selector_facts.hpp) says so.
#include "metalio_test.hpp"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "metalio/events.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/sys/selector.hpp"
#include "metalio/sys/syscall.hpp"
#include "selector_facts.hpp"

using namespace std::chrono_literals;
using metalio::Errc;
using metalio::Event;
using metalio::Events;
using metalio::Interest;
using metalio::Token;
using metalio::sys::OwnedFd;
using metalio::sys::Selector;

namespace {

struct Pipe {
    OwnedFd reader{-1}, writer{-1};
};

Pipe make_pipe() {
    int ends[2];
    REQUIRE(metalio::test::pipe(ends) == 0);
    return {OwnedFd(ends[0]), OwnedFd(ends[1])};
}

Pipe make_socketpair() {
    int ends[2];
    REQUIRE(metalio::test::socket_pair(SOCK_STREAM, ends) == 0);
    return {OwnedFd(ends[0]), OwnedFd(ends[1])};
}

Selector make_selector() {
    auto selector = Selector::create();
    REQUIRE(selector.has_value());
    return std::move(*selector);
}

std::vector<Event> poll_once(const Selector& selector, Events& events, std::chrono::nanoseconds timeout) {
    const auto polled = selector.select(events, timeout);
    REQUIRE_MESSAGE(polled.has_value(), metalio::test::why(polled));
    return {events.begin(), events.end()};
}

// How many open descriptors (of the first 1024) a program started by exec would inherit.
int count_inheritable_fds() {
    int count = 0;
    for (int fd = 0; fd < 1024; ++fd) {
        const int flags = ::fcntl(fd, F_GETFD);
        if (flags != -1 && (flags & FD_CLOEXEC) == 0) ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("a new selector is close-on-exec, and a failing create leaks nothing") {
    const metalio::test::FdLeakCheck no_leak;
    {
        // Every descriptor the selector opened (the epoll fd; poll(2)'s
        // internal eventfd, which has no accessor) is close-on-exec.
        const int inheritable_before = count_inheritable_fds();
        const Selector selector = make_selector();
        CHECK(count_inheritable_fds() == inheritable_before);
    }
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_nth(0, EMFILE);
    const auto failed = Selector::create();
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error() == std::errc::too_many_files_open);
}

TEST_CASE("a written pipe is reported readable with its token, once") {
    const metalio::test::FdLeakCheck no_leak;
    const Selector selector = make_selector();
    Pipe pipe = make_pipe();
    REQUIRE(selector.register_(pipe.reader.get(), Token{7}, Interest::READABLE));
    Events events = Events::with_capacity(8);

    CHECK(poll_once(selector, events, 0ms).empty());  // a zero timeout still polls
    REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);
    const auto ready = poll_once(selector, events, 1s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].token() == Token{7});
    CHECK(ready[0].is_readable());
    CHECK_FALSE(ready[0].is_writable());
    CHECK_FALSE(ready[0].is_read_closed());
    CHECK(poll_once(selector, events, 0ms).empty());  // edge-triggered: no second event
}

TEST_CASE("closing the write end reports read-closed") {
    const metalio::test::FdLeakCheck no_leak;
    const Selector selector = make_selector();
    Pipe pipe = make_pipe();
    REQUIRE(selector.register_(pipe.reader.get(), Token{1}, Interest::READABLE));
    pipe.writer = OwnedFd(-1);
    Events events = Events::with_capacity(8);
    const auto ready = poll_once(selector, events, 1s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].is_read_closed());
}

TEST_CASE("reregister replaces both token and interest") {
    const metalio::test::FdLeakCheck no_leak;
    const Selector selector = make_selector();
    Pipe pair = make_socketpair();
    REQUIRE(selector.register_(pair.reader.get(), Token{1}, Interest::READABLE));
    REQUIRE(selector.reregister(pair.reader.get(), Token{2}, Interest::WRITABLE));
    Events events = Events::with_capacity(8);
    const auto ready = poll_once(selector, events, 1s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].token() == Token{2});
    CHECK(ready[0].is_writable());
    CHECK_FALSE(ready[0].is_readable());
}

TEST_CASE("after deregister, new data produces no event") {
    const metalio::test::FdLeakCheck no_leak;
    const Selector selector = make_selector();
    Pipe pipe = make_pipe();
    REQUIRE(selector.register_(pipe.reader.get(), Token{1}, Interest::READABLE));
    REQUIRE(selector.deregister(pipe.reader.get()));
    REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);
    Events events = Events::with_capacity(8);
    CHECK(poll_once(selector, events, 10ms).empty());
    // ... and it can be registered again.
    REQUIRE(selector.register_(pipe.reader.get(), Token{3}, Interest::READABLE));
    const auto ready = poll_once(selector, events, 1s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].token() == Token{3});
}

TEST_CASE("the capacity bounds one poll, and the rest come with the next") {
    const metalio::test::FdLeakCheck no_leak;
    const Selector selector = make_selector();
    std::vector<Pipe> pipes;
    for (std::size_t i = 0; i < 5; ++i) {
        pipes.push_back(make_pipe());
        REQUIRE(selector.register_(pipes.back().reader.get(), Token{i}, Interest::READABLE));
        REQUIRE(::write(pipes.back().writer.get(), "x", 1) == 1);
    }
    Events events = Events::with_capacity(2);
    std::vector<bool> seen(5, false);
    for (int round = 0; round < 3; ++round) {
        for (const Event event : poll_once(selector, events, 1s)) {
            REQUIRE(event.token().value < 5);
            CHECK_FALSE(seen[event.token().value]);
            seen[event.token().value] = true;
        }
        CHECK(events.size() <= 2);
    }
    CHECK(std::ranges::count(seen, true) == 5);
    CHECK(poll_once(selector, events, 0ms).empty());
}

TEST_CASE("with room for all of them, one poll reports every ready fd") {
    // Regression: the poll(2) selector once moved its scan start while
    // scanning and skipped every other ready fd (found by the fuzzer).
    const metalio::test::FdLeakCheck no_leak;
    const Selector selector = make_selector();
    std::vector<Pipe> pipes;
    for (std::size_t i = 0; i < 6; ++i) {
        pipes.push_back(make_pipe());
        REQUIRE(selector.register_(pipes.back().reader.get(), Token{i}, Interest::READABLE));
        REQUIRE(::write(pipes.back().writer.get(), "x", 1) == 1);
    }
    Events events = Events::with_capacity(64);
    CHECK_MESSAGE(poll_once(selector, events, 1s).size() == 6, "six fds were ready, one poll must report all six");
}

TEST_CASE("bad input: clear errors, no crash, no leak") {
    const metalio::test::FdLeakCheck no_leak;
    const Selector selector = make_selector();
    Pipe pipe = make_pipe();
    const int fd = pipe.reader.get();

    SUBCASE("an invalid fd") {
        const auto negative = selector.register_(-1, Token{0}, Interest::READABLE);
        REQUIRE_FALSE(negative.has_value());
        CHECK(negative.error() == std::errc::bad_file_descriptor);
        const int closed = ::dup(fd);
        ::close(closed);
        const auto stale = selector.register_(closed, Token{0}, Interest::READABLE);
        REQUIRE_FALSE(stale.has_value());
        CHECK(stale.error() == std::errc::bad_file_descriptor);
    }
    SUBCASE("register twice") {
        REQUIRE(selector.register_(fd, Token{0}, Interest::READABLE));
        const auto again = selector.register_(fd, Token{1}, Interest::READABLE);
        if constexpr (metalio::test::kSelectorRefusesSecondRegister) {
            REQUIRE_FALSE(again.has_value());
            CHECK(again.error() == Errc::already_registered);
            CHECK(again.error() == std::errc::file_exists);
        } else {
            // kqueue: EV_ADD on the filter that is there updates it; the
            // events carry the new token, and only one filter exists.
            REQUIRE_MESSAGE(again.has_value(), metalio::test::why(again));
            REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);
            Events events = Events::with_capacity(4);
            const auto seen = poll_once(selector, events, 1s);
            REQUIRE_MESSAGE(seen.size() == 1, "one filter, one event; got ", seen.size());
            CHECK_MESSAGE(seen[0].token() == Token{1}, "the second register must replace the token");
        }
    }
    SUBCASE("reregister or deregister what was never registered") {
        const auto reregistered = selector.reregister(fd, Token{0}, Interest::READABLE);
        if constexpr (metalio::test::kSelectorRefusesReregisterOfUnknownFd) {
            REQUIRE_FALSE(reregistered.has_value());
            CHECK(reregistered.error() == Errc::not_registered);
        } else {
            // kqueue: the reregister added the read filter; take it away so
            // the deregister below meets an fd that was never registered.
            REQUIRE_MESSAGE(reregistered.has_value(), metalio::test::why(reregistered));
            REQUIRE(selector.deregister(fd));
        }
        const auto deregistered = selector.deregister(fd);
        REQUIRE_FALSE(deregistered.has_value());
        CHECK(deregistered.error() == Errc::not_registered);
    }
    SUBCASE("zero-capacity events") {
        Events none = Events::with_capacity(0);
        const auto polled = selector.select(none, 0ms);
        REQUIRE_FALSE(polled.has_value());
        CHECK(polled.error() == Errc::zero_capacity_events);
    }
    SUBCASE("a negative timeout") {
        Events events = Events::with_capacity(1);
        const auto polled = selector.select(events, -5ms);
        REQUIRE_FALSE(polled.has_value());
        CHECK(polled.error() == Errc::negative_timeout);
    }
    SUBCASE("a huge timeout is clamped, not an error") {
        REQUIRE(selector.register_(fd, Token{0}, Interest::READABLE));
        REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);
        Events events = Events::with_capacity(1);
        CHECK(poll_once(selector, events, std::chrono::nanoseconds::max()).size() == 1);
    }
}

TEST_CASE("a sub-millisecond timeout waits at least a millisecond: it is rounded up, not down to a busy loop") {
    const Selector selector = make_selector();
    Events events = Events::with_capacity(1);
    const auto start = std::chrono::steady_clock::now();
    CHECK(poll_once(selector, events, 1us).empty());
    CHECK(std::chrono::steady_clock::now() - start >= 1ms);
}

TEST_CASE("a signal during select comes back as Interrupted") {
    struct sigaction action{};
    action.sa_handler = [](int) {};
    REQUIRE(::sigaction(SIGUSR1, &action, nullptr) == 0);  // no SA_RESTART

    const Selector selector = make_selector();
    const pthread_t poller = ::pthread_self();
    std::atomic<bool> done{false};
    std::thread signaller([&] {
        while (!done.load()) {
            ::pthread_kill(poller, SIGUSR1);
            std::this_thread::sleep_for(5ms);
        }
    });
    Events events = Events::with_capacity(1);
    const auto polled = selector.select(events, 10s);
    done = true;
    signaller.join();
    REQUIRE_FALSE(polled.has_value());
    CHECK(metalio::io::is_interrupted(polled.error()));
}

TEST_CASE("registering from another thread wakes a blocked select") {
    const metalio::test::FdLeakCheck no_leak;
    const Selector selector = make_selector();
    Pipe pipe = make_pipe();
    REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);  // already readable
    Events events = Events::with_capacity(4);

    std::thread registrar([&] {
        std::this_thread::sleep_for(20ms);  // let the main thread block first
        REQUIRE(selector.register_(pipe.reader.get(), Token{9}, Interest::READABLE));
    });
    // Without the wake-up, a poll(2) selector would sleep the full 10 s and
    // return nothing.
    const auto ready = poll_once(selector, events, 10s);
    registrar.join();
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].token() == Token{9});
}

TEST_CASE("try_clone shares the registrations and the id") {
    const metalio::test::FdLeakCheck no_leak;
    const Selector selector = make_selector();
    auto clone = selector.try_clone();
    REQUIRE(clone.has_value());
    CHECK(clone->id() == selector.id());
    CHECK(make_selector().id() != selector.id());

    Pipe pipe = make_pipe();
    REQUIRE(clone->register_(pipe.reader.get(), Token{5}, Interest::READABLE));
    REQUIRE(::write(pipe.writer.get(), "x", 1) == 1);
    Events events = Events::with_capacity(4);
    const auto ready = poll_once(selector, events, 1s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].token() == Token{5});
}
