// Stage 09: the executor — spawn, block_on, many tasks, frames owned and
// freed, deep chains of tasks that finish at once.
#include <string>
#include <vector>

#include "metalio/rt/error.hpp"
#include "runtime_test.hpp"

using metalio::rt::Runtime;
using metalio::rt::Task;
using metalio::rt::YieldNow;

namespace {

Task<int> answer() { co_return 42; }

Task<int> add_answers() {
    const int a = co_await answer();
    const int b = co_await answer();
    co_return a + b;
}

TEST_CASE("block_on runs a task and the tasks it awaits, and returns the value") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, add_answers()) == 84);
}

// Each task appends its number, yields, and appends it again.
Task<void> yield_twice(std::vector<int>* trace, int number) {
    trace->push_back(number);
    co_await YieldNow{};
    trace->push_back(number);
}

Task<void> spawn_three(std::vector<int>* trace) {
    for (int i = 1; i <= 3; ++i) REQUIRE(metalio::rt::spawn(yield_twice(trace, i)));
    // Let every spawned task finish: each needs two passes.
    for (int i = 0; i < 3; ++i) co_await YieldNow{};
}

TEST_CASE("spawned tasks run in spawn order and interleave at every yield") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    std::vector<int> trace;
    rt_test::run(runtime, spawn_three(&trace));
    CHECK(trace == std::vector<int>{1, 2, 3, 1, 2, 3});
}

Task<void> count_up(int* done, int yields) {
    for (int i = 0; i < yields; ++i) co_await YieldNow{};
    ++*done;
}

Task<void> wait_for(const int* done, int expected) {
    while (*done < expected) co_await YieldNow{};
}

TEST_CASE("ten thousand concurrent tasks all finish") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    int done = 0;
    for (int i = 0; i < 10000; ++i) runtime.spawn(count_up(&done, i % 7));
    rt_test::run(runtime, wait_for(&done, 10000));
    CHECK(done == 10000);
}

Task<long> sum_chain(int depth) {
    if (depth == 0) co_return 0;
    co_return 1 + co_await sum_chain(depth - 1);
}

Task<long> many_quick_awaits() {
    long total = 0;
    // Each await finishes without suspending; with symmetric transfer the
    // stack does not grow with the number of awaits.
    for (int i = 0; i < 200000; ++i) total += co_await answer();
    co_return total + co_await sum_chain(1000);
}

TEST_CASE("a long loop of awaits that finish at once does not grow the stack") {
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, many_quick_awaits()) == 200000L * 42 + 1000);
}

// A task that never finishes: parked on a yield that is never resumed.
struct Forever {
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) const noexcept {}
    void await_resume() const noexcept {}
};

// Holds a string (heap memory) and a socket while parked forever.
Task<void> parked_with_resources(int* started) {
    std::string memory(1000, 'x');
    auto pair = co_await rt_test::connected_pair();
    ++*started;
    co_await Forever{};
}

Task<void> start_parked(int* started) {
    for (int i = 0; i < 5; ++i) REQUIRE(metalio::rt::spawn(parked_with_resources(started)));
    while (*started < 5) co_await YieldNow{};
}

TEST_CASE("destroying a runtime with parked tasks frees their frames and closes their sockets") {
    const metalio::test::FdLeakCheck no_leak;  // and LeakSanitizer in the asan builds
    int started = 0;
    {
        Runtime runtime = rt_test::make_runtime();
        rt_test::run(runtime, start_parked(&started));
        CHECK(started == 5);
    }
}

TEST_CASE("a spawned task that is never run is freed with the runtime") {
    const metalio::test::FdLeakCheck no_leak;
    int started = 0;
    Runtime runtime = rt_test::make_runtime();
    runtime.spawn(parked_with_resources(&started));
    CHECK(started == 0);
}

Task<void> nested(Runtime* runtime, std::error_code* error) {
    auto inner = runtime->block_on(answer());
    REQUIRE_FALSE(inner.has_value());
    *error = inner.error();
    co_return;
}

TEST_CASE("block_on inside a task is refused with an error, not a deadlock") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    std::error_code error;
    rt_test::run(runtime, nested(&runtime, &error));
    CHECK(error == metalio::rt::Errc::nested_block_on);
}

Task<void> nothing() { co_return; }

TEST_CASE("spawn outside a runtime is refused with no_runtime") {
    const auto spawned = metalio::rt::spawn(nothing());
    REQUIRE_FALSE(spawned.has_value());
    CHECK(spawned.error() == metalio::rt::Errc::no_runtime);
}

TEST_CASE("block_on of an empty task is an invalid argument") {
    Runtime runtime = rt_test::make_runtime();
    const auto result = runtime.block_on(Task<int>());
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error() == std::errc::invalid_argument);
}

Task<int> after_yield() {
    co_await YieldNow{};
    co_return 7;
}

TEST_CASE("a moved runtime keeps running its tasks, and the moved-from one refuses with errors") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime first = rt_test::make_runtime();
    Runtime second = std::move(first);
    CHECK(rt_test::run(second, after_yield()) == 7);
    const auto refused = first.block_on(after_yield());  // NOLINT(bugprone-use-after-move): on purpose
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == metalio::rt::Errc::no_runtime);
    first.spawn(nothing());  // dropped, not run, not leaked
    const auto spawned = first.handle().spawn(nothing());
    REQUIRE_FALSE(spawned.has_value());
    CHECK(spawned.error() == metalio::rt::Errc::runtime_closed);
}

}  // namespace
