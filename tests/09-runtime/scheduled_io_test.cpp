// Stage 09: ScheduledIo — readiness per direction; an event wakes exactly
// the tasks parked on the direction that fired.
#if METALIO_SELECTOR_IOCP
// The AFD flags come with the selector's header.
#elif METALIO_SELECTOR_POLL
#include <poll.h>
#elif METALIO_SELECTOR_KQUEUE
#include <sys/event.h>
#else
#include <sys/epoll.h>
#endif

#include "metalio/rt/reactor.hpp"
#include "metalio/rt/scheduled_io.hpp"
#include "runtime_test.hpp"

using metalio::rt::Direction;
using metalio::rt::Executor;
using metalio::rt::ScheduledIo;
using metalio::rt::Task;

namespace {

// A raw selector event saying "readable" or "writable" (the selector's own
// record: the IOCP selector's AFD flags and token, epoll_event, the poll(2)
// selector's token and revents, or a kevent whose filter says which
// direction fired).
metalio::Event make_event(bool readable) {
#if METALIO_SELECTOR_IOCP
    namespace afd = metalio::sys::windows::afd;
    return metalio::Event(metalio::sys::Event{readable ? afd::kReceive : afd::kSend, 0});
#elif METALIO_SELECTOR_POLL
    return metalio::Event(metalio::sys::Event{0, static_cast<std::uint32_t>(readable ? POLLIN : POLLOUT)});
#elif METALIO_SELECTOR_KQUEUE
    struct kevent raw{};
    raw.filter = readable ? EVFILT_READ : EVFILT_WRITE;
    return metalio::Event(raw);
#else
    epoll_event raw{};
    raw.events = readable ? EPOLLIN : EPOLLOUT;
    return metalio::Event(raw);
#endif
}

// A reactor (for ScheduledIo to point at), an executor and one source's
// readiness record, driven by hand: no socket, no poll.
struct Bench {
    metalio::rt::Reactor reactor{[] {
        auto poll = metalio::Poll::create();
        REQUIRE(poll);
        return std::move(*poll);
    }()};
    Executor executor;
    ScheduledIo io{reactor};
};

Task<void> wait_then_count(ScheduledIo* io, Direction direction, int* woken) {
    co_await io->ready(direction);
    ++*woken;
}

TEST_CASE("a read event wakes the readers only, a write event only the writers") {
    const metalio::test::FdLeakCheck no_leak;
    Bench bench;
    ScheduledIo& io = bench.io;
    Executor& executor = bench.executor;
    io.clear(Direction::Read);
    io.clear(Direction::Write);
    CHECK_FALSE(io.is_ready(Direction::Read));

    int readers = 0;
    int writers = 0;
    for (int i = 0; i < 2; ++i) executor.spawn(wait_then_count(&io, Direction::Read, &readers));
    for (int i = 0; i < 3; ++i) executor.spawn(wait_then_count(&io, Direction::Write, &writers));
    executor.run_once();  // all five park
    CHECK_FALSE(executor.has_ready());

    io.set_readiness(make_event(true), executor);
    CHECK(io.is_ready(Direction::Read));
    CHECK_FALSE(io.is_ready(Direction::Write));
    executor.run_once();
    CHECK(readers == 2);
    CHECK(writers == 0);

    io.set_readiness(make_event(false), executor);
    executor.run_once();
    CHECK(writers == 3);
    CHECK(executor.task_count() == 0);
}

TEST_CASE("a ready direction does not park, and after clear() the next wait parks") {
    const metalio::test::FdLeakCheck no_leak;
    Bench bench;
    ScheduledIo& io = bench.io;
    Executor& executor = bench.executor;
    int woken = 0;
    executor.spawn(wait_then_count(&io, Direction::Read, &woken));
    executor.run_once();
    CHECK(woken == 1);  // ready from the start: tried at once
    io.clear(Direction::Read);
    executor.spawn(wait_then_count(&io, Direction::Read, &woken));
    executor.run_once();
    CHECK(woken == 1);  // parked; the executor frees it at the end of the test
    CHECK(executor.task_count() == 1);
}

}  // namespace
