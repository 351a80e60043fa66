// fixtures.hpp: what the micro-benchmarks share: a failing setup stops the
// run with a message, and the raw baselines' epoll instance.
#pragma once

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <system_error>

namespace bench {

/// Stops the benchmark binary: a setup failure is not a measurement.
[[noreturn]] inline void die(const char* what, int error = errno) {
    std::fprintf(stderr, "micro-benchmark setup failed: %s: %s\n", what, std::generic_category().message(error).c_str());
    std::exit(1);
}

/// Unwraps a metalio result or dies.
template <class Result>
auto must(Result&& result, const char* what) {
    if (!result) die(what, result.error().value());
    if constexpr (!std::is_void_v<typename std::remove_cvref_t<Result>::value_type>) {
        return std::move(*result);
    }
}

/// An epoll instance for the raw baselines, closed at the end of scope.
struct RawEpoll {
    int fd = epoll_create1(EPOLL_CLOEXEC);
    RawEpoll() {
        if (fd < 0) die("epoll_create1");
    }
    ~RawEpoll() { close(fd); }
    RawEpoll(const RawEpoll&) = delete;
    RawEpoll& operator=(const RawEpoll&) = delete;
};

/// A new non-blocking eventfd (counter 0, so not readable); dies on failure.
inline int new_eventfd() {
    const int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) die("eventfd");
    return fd;
}

/// Adds @p fd to @p ep, edge-triggered readable, with data @p token.
inline void add_edge_triggered(const RawEpoll& ep, int fd, std::uint64_t token = 0) {
    epoll_event event{};
    event.events = EPOLLIN | EPOLLET;
    event.data.u64 = token;
    if (epoll_ctl(ep.fd, EPOLL_CTL_ADD, fd, &event) != 0) die("EPOLL_CTL_ADD");
}

}  // namespace bench
