// Stage 09: Handle — tasks spawned from other threads reach the runtime
// through its Waker (run under ThreadSanitizer in the tsan builds).
#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "metalio/rt/context.hpp"
#include "metalio/rt/error.hpp"
#include "metalio/rt/executor.hpp"
#include "metalio/rt/timers.hpp"
#include "runtime_test.hpp"

using namespace std::chrono_literals;
using metalio::rt::Runtime;
using metalio::rt::Task;
using metalio::rt::YieldNow;

namespace {

// Runs on the runtime's thread; no lock needed for `count`.
Task<void> add_one(int* count) {
    ++*count;
    co_return;
}

Task<void> wait_for_count(const int* count, int expected) {
    // The runtime takes tasks from other threads only when its Waker's
    // event comes: without it the count would never move.
    while (*count < expected) co_await metalio::rt::sleep_for(1ms);
}

TEST_CASE("tasks spawned from four threads all run on the runtime's thread") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    const metalio::rt::Handle handle = runtime.handle();
    int count = 0;
    std::atomic<int> refused{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&handle, &count, &refused] {
            for (int i = 0; i < 250; ++i) {
                if (!handle.spawn(add_one(&count))) ++refused;
            }
        });
    }
    rt_test::run(runtime, wait_for_count(&count, 1000));
    for (auto& thread : threads) thread.join();
    CHECK(count == 1000);
    CHECK(refused == 0);
}

Task<void> park_forever(bool* ran) {
    *ran = true;
    co_await metalio::rt::sleep_for(1h);
}

TEST_CASE("a handle that outlives its runtime refuses to spawn, and frees the task") {
    const metalio::test::FdLeakCheck no_leak;  // the Waker's eventfd and epoll dup are closed too
    bool ran = false;
    std::optional<metalio::rt::Handle> handle;
    {
        Runtime runtime = rt_test::make_runtime();
        handle = runtime.handle();
        REQUIRE(handle->spawn(park_forever(&ran)));  // queued, never run: freed by the runtime
    }
    const auto spawned = handle->spawn(park_forever(&ran));
    REQUIRE_FALSE(spawned.has_value());
    CHECK(spawned.error() == metalio::rt::Errc::runtime_closed);
    CHECK_FALSE(ran);
}

// [wake-tests]
// The root task parks here until the last spawned task arrives. No timer
// polls on its behalf: if a push ever failed to wake a parked runtime, its
// poll would block for ever and the test would time out.
struct Arrivals {
    int count = 0;
    int expected = 0;
    metalio::rt::Waiter root;
};

Task<void> arrive(Arrivals* arrivals) {
    if (++arrivals->count == arrivals->expected && arrivals->root.handle) {
        metalio::rt::Context::current()->executor.schedule(arrivals->root);
    }
    co_return;
}

struct UntilAllArrived {
    Arrivals* arrivals;
    bool await_ready() const noexcept { return arrivals->count == arrivals->expected; }
    void await_suspend(std::coroutine_handle<> caller) const noexcept { arrivals->root.handle = caller; }
    void await_resume() const noexcept {}
};

Task<void> wait_for_arrivals(Arrivals* arrivals) { co_await UntilAllArrived{arrivals}; }

TEST_CASE("no lost wakeup: eight threads spawn in bursts while the runtime parks and unparks") {
    const metalio::test::FdLeakCheck no_leak;
    constexpr int kThreads = 8;
    constexpr int kPerThread = 500;
    Runtime runtime = rt_test::make_runtime();
    const metalio::rt::Handle handle = runtime.handle();
    Arrivals arrivals;
    arrivals.expected = kThreads * kPerThread;
    std::atomic<int> refused{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&handle, &arrivals, &refused, t] {
            std::minstd_rand random(static_cast<unsigned>(t) + 1);
            for (int sent = 0; sent < kPerThread;) {
                // A burst, then a pause long enough for the runtime to park.
                const int burst = std::min(kPerThread - sent, static_cast<int>(random() % 8) + 1);
                for (int i = 0; i < burst; ++i, ++sent) {
                    if (!handle.spawn(arrive(&arrivals))) ++refused;
                }
                const auto pause = random() % 8 == 0 ? 2000 : random() % 300;
                std::this_thread::sleep_for(std::chrono::microseconds(pause));
            }
        });
    }
    rt_test::run(runtime, wait_for_arrivals(&arrivals));
    for (auto& thread : threads) thread.join();
    CHECK(arrivals.count == kThreads * kPerThread);
    CHECK(refused == 0);
    // Every park was ended by at most one write, and no spawn found the
    // runtime parked more often than it parked; usually far fewer writes.
    MESSAGE("waker writes: ", handle.wakes(), " for ", kThreads * kPerThread, " spawns");
    CHECK(handle.wakes() <= static_cast<std::size_t>(kThreads * kPerThread));
}

Task<void> busy_until_arrived(Arrivals* arrivals, std::atomic<bool>* started) {
    started->store(true);
    while (arrivals->count < arrivals->expected) co_await YieldNow{};  // always runnable: never parks
}

TEST_CASE("a runtime that never parks is never woken: spawns from another thread write its Waker zero times") {
    const metalio::test::FdLeakCheck no_leak;
    constexpr int kSpawns = 1000;
    Runtime runtime = rt_test::make_runtime();
    const metalio::rt::Handle handle = runtime.handle();
    Arrivals arrivals;
    arrivals.expected = kSpawns;
    std::atomic<bool> started{false};
    std::thread spawner([&handle, &arrivals, &started] {
        while (!started.load()) std::this_thread::yield();
        for (int i = 0; i < kSpawns; ++i) REQUIRE(handle.spawn(arrive(&arrivals)));
    });
    rt_test::run(runtime, busy_until_arrived(&arrivals, &started));
    spawner.join();
    CHECK(arrivals.count == kSpawns);
    CHECK(handle.wakes() == 0);  // before: one write per spawn, 1,000
}

// Runs on the runtime: resumes the root once a spawn had to wake it.
Task<void> arrive_after_wake(const metalio::rt::Handle* handle, Arrivals* arrivals, std::atomic<bool>* seen) {
    ++arrivals->count;
    if (handle->wakes() >= 1 && !seen->exchange(true)) metalio::rt::Context::current()->executor.schedule(arrivals->root);
    co_return;
}

TEST_CASE("a parked runtime is woken by a spawn from another thread") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    const metalio::rt::Handle handle = runtime.handle();
    Arrivals arrivals;
    arrivals.expected = -1;  // the root waits for `seen`, not for a count
    std::atomic<bool> seen{false};
    // One spawn every 5 ms: between two, the runtime has nothing to do and
    // parks (no timer), so a spawn finds it parked and must write.
    std::thread spawner([&handle, &arrivals, &seen] {
        for (int i = 0; i < 1000 && !seen.load(); ++i) {
            REQUIRE(handle.spawn(arrive_after_wake(&handle, &arrivals, &seen)));
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    rt_test::run(runtime, wait_for_arrivals(&arrivals));
    spawner.join();
    CHECK(seen.load());
    CHECK(handle.wakes() >= 1);
    CHECK(handle.wakes() <= static_cast<std::size_t>(arrivals.count));
}
// [wake-tests]

}  // namespace
