// poll_empty.cpp: a zero-timeout poll when nothing is ready (one idle fd
// registered), metalio against epoll_wait and poll(2) with timeout 0.
#include <benchmark/benchmark.h>
#include <poll.h>
#include <sys/eventfd.h>

#include <chrono>

#include "fixtures.hpp"
#include "metalio/poll.hpp"
#include "metalio/posix/source_fd.hpp"

namespace {

void raw_epoll_wait_zero(benchmark::State& state) {
    bench::RawEpoll ep;
    const int fd = bench::new_eventfd();
    bench::add_edge_triggered(ep, fd);
    epoll_event events[256];
    for (auto _ : state) benchmark::DoNotOptimize(epoll_wait(ep.fd, events, 256, 0));
    close(fd);
}
BENCHMARK(raw_epoll_wait_zero);

void raw_poll_zero(benchmark::State& state) {
    const int fd = bench::new_eventfd();
    pollfd entry{fd, POLLIN, 0};
    for (auto _ : state) benchmark::DoNotOptimize(::poll(&entry, 1, 0));
    close(fd);
}
BENCHMARK(raw_poll_zero);

void metalio_poll_zero(benchmark::State& state) {
    auto poll = bench::must(metalio::Poll::create(), "Poll::create");
    const int fd = bench::new_eventfd();
    bench::must(poll.registry().register_(metalio::posix::SourceFd{fd}, metalio::Token{1}, metalio::Interest::READABLE),
                "register");
    auto events = metalio::Events::with_capacity(256);
    for (auto _ : state) benchmark::DoNotOptimize(poll.poll(events, std::chrono::nanoseconds(0)));
    (void)poll.registry().deregister(metalio::posix::SourceFd{fd});
    close(fd);
}
BENCHMARK(metalio_poll_zero);

}  // namespace
