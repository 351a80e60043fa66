// Stage 09: the timing wheel, driven by hand (no runtime, no clock) —
// every entry fires at its own tick on whatever level it starts, after any
// number of cascades; cancel works on every level; equal deadlines keep
// their order across a cascade; a deadline beyond the wheel's reach waits.
#include <algorithm>
#include <array>
#include <chrono>
#include <vector>

#include "metalio/rt/timers.hpp"
#include "runtime_test.hpp"

using namespace std::chrono_literals;
using metalio::rt::Executor;
using metalio::rt::Timers;
using metalio::rt::TimePoint;

namespace {

const TimePoint kOrigin{};  // the wheel's tick 0

// Entries that write their number into a trace when the executor runs them.
struct Probes {
    static constexpr std::size_t kCount = 16;
    std::array<Timers::Entry, kCount> entries;
    std::vector<std::size_t> trace;

    Probes() {
        for (auto& entry : entries) entry.waiter.on_turn = &note;
        current() = this;
    }
    ~Probes() { current() = nullptr; }
    Probes(const Probes&) = delete;
    Probes& operator=(const Probes&) = delete;

    static Probes*& current() {
        static Probes* probes = nullptr;
        return probes;
    }
    static void note(metalio::rt::Waiter& waiter) {
        Probes& self = *current();
        for (std::size_t i = 0; i < kCount; ++i) {
            if (&self.entries[i].waiter == &waiter) self.trace.push_back(i);
        }
    }
};

TEST_CASE("wheel: each entry fires at its own tick, from every level, after every cascade") {
    Timers timers(kOrigin);
    Executor executor;
    Probes probes;
    // Ticks on level 0, on the edges of levels 1 and 2, and deep in 3 and 4.
    const std::vector<std::int64_t> ticks{1, 63, 64, 65, 100, 4095, 4096, 4097, 262'147, 20'000'000};
    std::vector<std::size_t> order(ticks.size());
    for (std::size_t i = 0; i < ticks.size(); ++i) order[i] = (i * 7) % ticks.size();  // insert out of order
    for (std::size_t i : order) timers.insert(probes.entries[i], kOrigin + std::chrono::milliseconds(ticks[i]));
    CHECK(timers.size() == ticks.size());
    std::vector<std::int64_t> fired_at(ticks.size(), -1);
    auto step = [&](std::int64_t now) {
        timers.fire(kOrigin + std::chrono::milliseconds(now), executor);
        probes.trace.clear();
        executor.run_once();
        for (std::size_t i : probes.trace) fired_at[i] = now;
    };
    for (std::int64_t now = 0; now <= 5000; ++now) step(now);
    // The far ones: the tick before (nothing may fire), then the tick.
    for (std::size_t i = 8; i < ticks.size(); ++i) {
        step(ticks[i] - 1);
        CHECK(fired_at[i] == -1);
        step(ticks[i]);
    }
    CHECK(fired_at == ticks);
    CHECK(timers.size() == 0);
    CHECK_FALSE(timers.next_timeout(kOrigin + 1h).has_value());
}

TEST_CASE("wheel: a deadline is rounded up to the tick, never fired early") {
    Timers timers(kOrigin);
    Executor executor;
    Probes probes;
    timers.insert(probes.entries[0], kOrigin + 2500us);
    CHECK(timers.fire(kOrigin + 2999us, executor) == 0);
    CHECK(timers.next_timeout(kOrigin + 2999us) == std::chrono::nanoseconds(1us));
    CHECK(timers.fire(kOrigin + 3ms, executor) == 1);
}

TEST_CASE("wheel: cancel works on every level, and leaves nothing behind") {
    Timers timers(kOrigin);
    Executor executor;
    Probes probes;
    const std::array<std::chrono::milliseconds, 5> delays{5ms, 100ms, 10'000ms, 1'000'000ms, 100'000'000ms};
    for (std::size_t i = 0; i < delays.size(); ++i) timers.insert(probes.entries[i], kOrigin + delays[i]);
    for (std::size_t i = 0; i < delays.size(); ++i) probes.entries[i].cancel();
    CHECK(timers.size() == 0);
    CHECK_FALSE(timers.next_timeout(kOrigin).has_value());
    CHECK(timers.fire(kOrigin + 200'000'000ms, executor) == 0);
}

TEST_CASE("wheel: equal deadlines fire in the order they were set, across a cascade") {
    Timers timers(kOrigin);
    Executor executor;
    Probes probes;
    timers.insert(probes.entries[0], kOrigin + 100ms);  // level 1 now
    timers.fire(kOrigin + 70ms, executor);               // 0 fires; entry 0 cascades to level 0
    timers.insert(probes.entries[1], kOrigin + 100ms);  // straight to level 0, behind it
    timers.insert(probes.entries[2], kOrigin + 100ms);
    CHECK(timers.fire(kOrigin + 100ms, executor) == 3);
    executor.run_once();
    CHECK(probes.trace == std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("wheel: a deadline beyond the top level's reach waits for it") {
    Timers timers(kOrigin);
    Executor executor;
    Probes probes;
    const auto three_years = std::chrono::milliseconds(std::int64_t{3} * 365 * 24 * 3600 * 1000);
    timers.insert(probes.entries[0], kOrigin + three_years);
    CHECK(timers.fire(kOrigin + three_years / 2, executor) == 0);
    CHECK(timers.fire(kOrigin + three_years - 1ms, executor) == 0);
    CHECK(timers.fire(kOrigin + three_years, executor) == 1);
}

TEST_CASE("wheel: a deadline in the past fires at the next fire()") {
    Timers timers(kOrigin);
    Executor executor;
    Probes probes;
    timers.fire(kOrigin + 10s, executor);
    timers.insert(probes.entries[0], kOrigin + 1s);
    CHECK(timers.next_timeout(kOrigin + 10s) == std::chrono::nanoseconds{0});
    CHECK(timers.fire(kOrigin + 10s, executor) == 1);
}

}  // namespace
