// Stage 05 example: a Poll, a registered pipe, and what poll() returns with
// the three kinds of timeout.
//
// Run it with `make run CH=05`.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "metalio/poll.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/posix/source_fd.hpp"

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
    int ends[2];
    if (::pipe2(ends, O_NONBLOCK | O_CLOEXEC) != 0) return 1;
    const metalio::sys::OwnedFd reader(ends[0]), writer(ends[1]);
    (void)poll->registry().register_(metalio::posix::SourceFd{reader.get()}, metalio::Token{1},
                                     metalio::Interest::READABLE);
    metalio::Events events = metalio::Events::with_capacity(4);

    auto timed = [&](const char* what, std::optional<std::chrono::nanoseconds> timeout) {
        const auto start = std::chrono::steady_clock::now();
        const auto polled = poll->poll(events, timeout);
        report(what, polled, events, std::chrono::steady_clock::now() - start);
    };
    timed("zero timeout (just check)", 0ms);
    timed("1 us (rounds up to 1 ms)", 1us);
    timed("50 ms, nothing ready", 50ms);
    (void)!::write(writer.get(), "x", 1);
    timed("no timeout, data ready", std::nullopt);
    timed("negative timeout", -1ms);
    // [main]
    return 0;
}
