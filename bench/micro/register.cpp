// register.cpp: register + deregister of one fd, metalio against the two
// epoll_ctl calls it stands for.
#include <benchmark/benchmark.h>
#include <sys/eventfd.h>

#include "fixtures.hpp"
#include "metalio/poll.hpp"
#include "metalio/posix/source_fd.hpp"

namespace {

void raw_register_deregister(benchmark::State& state) {
    bench::RawEpoll ep;
    const int fd = bench::new_eventfd();
    for (auto _ : state) {
        epoll_event event{};
        event.events = EPOLLIN | EPOLLET;
        event.data.u64 = 7;
        if (epoll_ctl(ep.fd, EPOLL_CTL_ADD, fd, &event) != 0) bench::die("EPOLL_CTL_ADD");
        if (epoll_ctl(ep.fd, EPOLL_CTL_DEL, fd, nullptr) != 0) bench::die("EPOLL_CTL_DEL");
    }
    close(fd);
}
BENCHMARK(raw_register_deregister);

void metalio_register_deregister(benchmark::State& state) {
    auto poll = bench::must(metalio::Poll::create(), "Poll::create");
    const int fd = bench::new_eventfd();
    const metalio::posix::SourceFd source{fd};
    for (auto _ : state) {
        bench::must(poll.registry().register_(source, metalio::Token{7}, metalio::Interest::READABLE), "register");
        bench::must(poll.registry().deregister(source), "deregister");
    }
    close(fd);
}
BENCHMARK(metalio_register_deregister);

}  // namespace
