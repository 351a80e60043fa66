// Stage 05 example: a Poll, a registered listener, and what poll() returns
// with the three kinds of timeout. A listener rather than a pipe, so that
// the same program runs on every selector: Windows' AFD driver polls
// sockets only. A connection attempt makes the listener readable.
//
// Run it with `make run CH=05` (Windows: `make run CH=05 OS=windows`).
#include <chrono>
#include <cstdio>

#include "metalio/net/tcp_listener.hpp"
#include "metalio/poll.hpp"

using namespace std::chrono_literals;

namespace {

void report(const char* what, const metalio::io::Result<void>& polled, const metalio::Events& events,
            std::chrono::steady_clock::duration took) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
    if (!polled) {
        std::printf("%-26s -> error: %s\n", what, polled.error().message().c_str());
        return;
    }
    std::printf("%-26s -> %zu event(s) after %lld us\n", what, events.size(), static_cast<long long>(micros));
}

}  // namespace

int main() {
    // [main]
    auto poll = metalio::Poll::create();
    if (!poll) {
        std::printf("Poll::create: %s\n", poll.error().message().c_str());
        return 1;
    }
    auto listener = metalio::net::TcpListener::bind(*metalio::net::SocketAddr::parse("127.0.0.1:0"));
    if (!listener) return 1;
    (void)poll->registry().register_(*listener, metalio::Token{1}, metalio::Interest::READABLE);
    metalio::Events events = metalio::Events::with_capacity(4);

    auto timed = [&](const char* what, std::optional<std::chrono::nanoseconds> timeout) {
        const auto start = std::chrono::steady_clock::now();
        const auto polled = poll->poll(events, timeout);
        report(what, polled, events, std::chrono::steady_clock::now() - start);
    };
    timed("zero timeout (just check)", 0ms);
    timed("1 us (rounds up to 1 ms)", 1us);
    timed("50 ms, nothing ready", 50ms);
    const auto client = metalio::net::TcpStream::connect(*listener->local_addr());
    timed("no timeout, client waiting", std::nullopt);
    timed("negative timeout", -1ms);
    // [main]
    return client ? 0 : 1;
}
