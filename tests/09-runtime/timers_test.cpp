// Stage 09: timers — deadlines fire in order, cancelled ones never fire,
// sleeps last at least their duration, timeout() cancels what it wraps.
#include <chrono>
#include <string>
#include <vector>

#include "metalio/rt/select.hpp"
#include "metalio/rt/timeout.hpp"
#include "metalio/rt/timers.hpp"
#include "runtime_test.hpp"

using namespace std::chrono_literals;
using metalio::rt::Clock;
using metalio::rt::Runtime;
using metalio::rt::Task;
using metalio::rt::YieldNow;

namespace {

Task<void> sleep_then_note(std::vector<int>* trace, int number, metalio::rt::TimePoint deadline) {
    co_await metalio::rt::sleep_until(deadline);
    trace->push_back(number);
}

Task<void> wait_until_size(const std::vector<int>* trace, std::size_t size) {
    while (trace->size() < size) co_await metalio::rt::sleep_for(1ms);
}

TEST_CASE("timers fire in deadline order, not in the order they were set") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    std::vector<int> trace;
    // Deadlines from one reading of the clock: the order cannot depend on
    // how fast the tasks start on a loaded machine.
    const auto start = Clock::now();
    runtime.spawn(sleep_then_note(&trace, 3, start + 60ms));
    runtime.spawn(sleep_then_note(&trace, 1, start + 20ms));
    runtime.spawn(sleep_then_note(&trace, 2, start + 40ms));
    runtime.spawn(sleep_then_note(&trace, 0, start));
    rt_test::run(runtime, wait_until_size(&trace, 4));
    CHECK(trace == std::vector<int>{0, 1, 2, 3});
}

TEST_CASE("timers with the same deadline fire in the order they were set") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    std::vector<int> trace;
    const auto deadline = Clock::now() + 20ms;
    for (int i = 0; i < 5; ++i) {
        runtime.spawn([](std::vector<int>* out, int n, Clock::time_point at) -> Task<void> {
            co_await metalio::rt::sleep_until(at);
            out->push_back(n);
        }(&trace, i, deadline));
    }
    rt_test::run(runtime, wait_until_size(&trace, 5));
    CHECK(trace == std::vector<int>{0, 1, 2, 3, 4});
}

Task<Clock::duration> measure_sleep(std::chrono::milliseconds duration) {
    const auto start = Clock::now();
    co_await metalio::rt::sleep_for(duration);
    co_return Clock::now() - start;
}

TEST_CASE("sleep_for lasts at least its duration") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, measure_sleep(30ms)) >= 30ms);
}

TEST_CASE("a deadline in the past does not suspend at all") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    rt_test::run(runtime, metalio::rt::sleep_until(Clock::now() - 1s));
    CHECK(true);  // reached without waiting: block_on returned
}

Task<int> slow_value(std::chrono::milliseconds delay, int value, bool* finished) {
    co_await metalio::rt::sleep_for(delay);
    *finished = true;
    co_return value;
}

Task<void> race_two(std::vector<int>* winners, bool* slow_finished) {
    bool fast_finished = false;
    auto first = co_await metalio::rt::select(slow_value(10s, 1, slow_finished), slow_value(10ms, 2, &fast_finished));
    winners->push_back(static_cast<int>(first.index()));
    winners->push_back(std::get<1>(first));
    // The loser was destroyed where it slept: its timer must never fire.
    co_await metalio::rt::sleep_for(30ms);
}

TEST_CASE("select: the first task to finish wins, the loser's timer is cancelled") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    std::vector<int> winners;
    bool slow_finished = false;
    rt_test::run(runtime, race_two(&winners, &slow_finished));
    CHECK(winners == std::vector<int>{1, 2});
    CHECK_FALSE(slow_finished);
}

Task<void> timeout_cases(std::vector<std::string>* notes) {
    bool finished = false;
    auto late = co_await metalio::rt::timeout(20ms, slow_value(10s, 1, &finished));
    notes->push_back(late ? "value" : late.error() == std::errc::timed_out ? "timed out" : late.error().message());
    auto early = co_await metalio::rt::timeout(10s, slow_value(1ms, 5, &finished));
    notes->push_back(early ? std::to_string(*early) : early.error().message());
    auto unit = co_await metalio::rt::timeout(10s, metalio::rt::sleep_for(1ms));
    notes->push_back(unit ? "void ok" : unit.error().message());
}

TEST_CASE("timeout: the deadline cancels a slow task, a quick task keeps its value") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    std::vector<std::string> notes;
    rt_test::run(runtime, timeout_cases(&notes));
    CHECK(notes == std::vector<std::string>{"timed out", "5", "void ok"});
}

TEST_CASE("a runtime destroyed with pending timers frees them") {
    const metalio::test::FdLeakCheck no_leak;
    bool finished = false;
    Runtime runtime = rt_test::make_runtime();
    for (int i = 0; i < 100; ++i) {
        runtime.spawn([](bool* done) -> Task<void> { co_await metalio::rt::sleep_for(1h); *done = true; }(&finished));
    }
    rt_test::run(runtime, metalio::rt::sleep_for(1ms));
    CHECK_FALSE(finished);
}

}  // namespace
