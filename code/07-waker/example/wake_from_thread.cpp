// Stage 07 example: a worker thread wakes the event loop.
//
// The main thread blocks in Poll::poll with no timeout; nothing is
// registered but the Waker. A worker "works" (sleeps), publishes how far it
// got and wakes the loop, three times; the loop prints each wake-up and
// stops after the last one.
//
// Run it with `make run CH=07`.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "metalio/poll.hpp"
#include "metalio/waker.hpp"

using namespace std::chrono_literals;

namespace {
constexpr metalio::Token kWaker{10};
constexpr int kJobs = 3;
}  // namespace

int main() {
    // [setup]
    auto poll = metalio::Poll::create();
    if (!poll) {
        std::printf("Poll::create: %s\n", poll.error().message().c_str());
        return 1;
    }
    auto waker = metalio::Waker::create(poll->registry(), kWaker);
    if (!waker) {
        std::printf("Waker::create: %s\n", waker.error().message().c_str());
        return 1;
    }
    // [setup]

    // [worker]
    std::atomic<int> done{0};  // what the worker publishes before each wake
    std::thread worker([&waker, &done] {
        for (int job = 1; job <= kJobs; ++job) {
            std::this_thread::sleep_for(200ms);  // the "work"
            done.store(job);
            std::printf("worker: job %d done, waking the loop\n", job);
            if (auto woken = waker->wake(); !woken) {
                std::printf("worker: wake failed: %s\n", woken.error().message().c_str());
            }
        }
    });
    // [worker]

    // [loop]
    metalio::Events events = metalio::Events::with_capacity(8);
    int seen = 0;
    while (seen < kJobs) {
        if (auto polled = poll->poll(events, std::nullopt); !polled) {
            if (metalio::io::is_interrupted(polled.error())) continue;
            std::printf("poll: %s\n", polled.error().message().c_str());
            break;
        }
        for (const metalio::Event event : events) {
            if (event.token() != kWaker) continue;
            // One event may stand for several wakes: read the shared state,
            // not the number of events.
            seen = done.load();
            std::printf("loop:   woken up, %d of %d jobs done\n", seen, kJobs);
        }
    }
    // [loop]
    worker.join();
    std::printf("loop:   all jobs done, exiting\n");
    return 0;
}
