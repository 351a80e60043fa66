// idle_fds.cpp: one active fd among 10,000 idle ones. Each iteration makes
// the active eventfd readable, polls, and reads it back to zero; epoll's
// cost does not grow with the idle fds, poll(2)'s does.
#include <benchmark/benchmark.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "fixtures.hpp"
#include "metalio/poll.hpp"
#include "metalio/posix/source_fd.hpp"

namespace {

constexpr int kIdle = 10000;

// Opens kIdle idle eventfds plus the active one (the last).
std::vector<int> open_fds() {
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < kIdle + 100) {
        limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, kIdle + 100);
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0) bench::die("setrlimit(RLIMIT_NOFILE)");
    }
    std::vector<int> fds;
    for (int i = 0; i <= kIdle; ++i) {
        const int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd < 0) bench::die("eventfd (raise the open-files limit to 10100)");
        fds.push_back(fd);
    }
    return fds;
}

void close_fds(const std::vector<int>& fds) {
    for (const int fd : fds) close(fd);
}

void make_ready(int fd) {
    const std::uint64_t one = 1;
    if (write(fd, &one, sizeof one) != sizeof one) bench::die("write eventfd");
}

void consume(int fd) {
    std::uint64_t value = 0;
    if (read(fd, &value, sizeof value) != sizeof value) bench::die("read eventfd");
}

void raw_epoll_one_of_10000(benchmark::State& state) {
    bench::RawEpoll ep;
    const auto fds = open_fds();
    for (std::size_t i = 0; i < fds.size(); ++i) bench::add_edge_triggered(ep, fds[i], i);
    epoll_event events[256];
    for (auto _ : state) {
        make_ready(fds.back());
        if (epoll_wait(ep.fd, events, 256, -1) != 1) bench::die("epoll_wait");
        consume(fds.back());
    }
    close_fds(fds);
}
BENCHMARK(raw_epoll_one_of_10000);

void raw_poll_one_of_10000(benchmark::State& state) {
    const auto fds = open_fds();
    std::vector<pollfd> entries;
    for (const int fd : fds) entries.push_back(pollfd{fd, POLLIN, 0});
    for (auto _ : state) {
        make_ready(fds.back());
        if (::poll(entries.data(), entries.size(), -1) != 1) bench::die("poll");
        consume(fds.back());
    }
    close_fds(fds);
}
BENCHMARK(raw_poll_one_of_10000);

void metalio_one_of_10000(benchmark::State& state) {
    auto poll = bench::must(metalio::Poll::create(), "Poll::create");
    const auto fds = open_fds();
    for (std::size_t i = 0; i < fds.size(); ++i) {
        bench::must(poll.registry().register_(metalio::posix::SourceFd{fds[i]}, metalio::Token{i},
                                              metalio::Interest::READABLE),
                    "register");
    }
    const metalio::posix::SourceFd active{fds.back()};
    const metalio::Token active_token{fds.size() - 1};
    auto events = metalio::Events::with_capacity(256);
    for (auto _ : state) {
        make_ready(active.fd);
        bench::must(poll.poll(events, std::nullopt), "poll");
        if (events.size() != 1) bench::die("poll returned other than one event", 0);
        consume(active.fd);
#if METALIO_SELECTOR_POLL
        // The poll(2) selector disarms an fd after its event (emulated edge
        // triggering); a SourceFd is re-armed by reregistering it.
        bench::must(poll.registry().reregister(active, active_token, metalio::Interest::READABLE), "reregister");
#else
        (void)active_token;
#endif
    }
    for (const int fd : fds) (void)poll.registry().deregister(metalio::posix::SourceFd{fd});
    close_fds(fds);
}
BENCHMARK(metalio_one_of_10000);

}  // namespace
