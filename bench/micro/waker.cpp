// waker.cpp: the Waker round trip across threads. The benchmark thread
// wakes; a second thread, blocked in poll, returns and counts; the
// benchmark thread spins until it sees the count move. The raw baseline is
// the same trip on an eventfd and epoll_wait, written by hand.
#include <benchmark/benchmark.h>
#include <sys/eventfd.h>

#include <atomic>
#include <cstdint>
#include <thread>

#include "fixtures.hpp"
#include "metalio/poll.hpp"
#include "metalio/waker.hpp"

namespace {

// Wakes with `wake`, then waits until the poller has counted one more return.
template <class Wake>
void round_trips(benchmark::State& state, std::atomic<std::uint64_t>& returned, Wake&& wake) {
    for (auto _ : state) {
        const std::uint64_t before = returned.load(std::memory_order_acquire);
        wake();
        // Yield while waiting: on a busy machine the poller may need this core.
        while (returned.load(std::memory_order_acquire) == before) std::this_thread::yield();
    }
}

void raw_eventfd_round_trip(benchmark::State& state) {
    bench::RawEpoll ep;
    const int fd = bench::new_eventfd();
    bench::add_edge_triggered(ep, fd);
    std::atomic<std::uint64_t> returned{0};
    std::atomic<bool> stop{false};
    std::thread poller([&] {
        epoll_event events[16];
        while (!stop.load(std::memory_order_acquire)) {
            if (epoll_wait(ep.fd, events, 16, -1) > 0) returned.fetch_add(1, std::memory_order_release);
        }
    });
    const std::uint64_t one = 1;
    auto wake = [&] {
        if (write(fd, &one, sizeof one) != sizeof one) bench::die("write eventfd");
    };
    round_trips(state, returned, wake);
    stop.store(true, std::memory_order_release);
    wake();
    poller.join();
    close(fd);
}
BENCHMARK(raw_eventfd_round_trip)->UseRealTime();

void metalio_waker_round_trip(benchmark::State& state) {
    auto poll = bench::must(metalio::Poll::create(), "Poll::create");
    const auto waker = bench::must(metalio::Waker::create(poll.registry(), metalio::Token{1}), "Waker::create");
    std::atomic<std::uint64_t> returned{0};
    std::atomic<bool> stop{false};
    std::thread poller([&] {
        auto events = metalio::Events::with_capacity(16);
        while (!stop.load(std::memory_order_acquire)) {
            if (poll.poll(events, std::nullopt) && !events.empty()) returned.fetch_add(1, std::memory_order_release);
        }
    });
    auto wake = [&] { bench::must(waker.wake(), "wake"); };
    round_trips(state, returned, wake);
    stop.store(true, std::memory_order_release);
    wake();
    poller.join();
}
BENCHMARK(metalio_waker_round_trip)->UseRealTime();

}  // namespace
