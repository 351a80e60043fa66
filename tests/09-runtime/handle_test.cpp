// Stage 09: Handle — tasks spawned from other threads reach the runtime
// through its Waker (run under ThreadSanitizer in the tsan builds).
#include <atomic>
#include <thread>
#include <vector>

#include "metalio/rt/error.hpp"
#include "metalio/rt/timers.hpp"
#include "runtime_test.hpp"

using namespace std::chrono_literals;
using metalio::rt::Runtime;
using metalio::rt::Task;

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

}  // namespace
