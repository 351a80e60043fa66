// timers.cpp: the runtime's timing wheel against the ordered tree
// (std::multimap) it replaced, with 1,000,000 timers pending: each
// iteration cancels one pending sleep and inserts it again with a new
// deadline, which is what every timeout() whose operation finishes in time
// does. ns per iteration = one insert + one cancel.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <vector>

#include "metalio/rt/timers.hpp"

namespace {

using metalio::rt::TimePoint;
constexpr std::size_t kPending = 1'000'000;

// Deadlines spread over a minute, in no particular order: the wheel's
// levels 0 to 2, and a tree of a million keys.
TimePoint deadline(std::size_t k) {
    return TimePoint{} + std::chrono::milliseconds(1 + (k * 7919) % 60'000);
}

// The multimap timer queue as stage 09 had it: an entry keeps its iterator,
// so cancel is an erase; insert is a tree insert and one node allocation.
class MultimapTimers {
public:
    struct Entry {
        std::multimap<TimePoint, Entry*>::iterator position;
        bool queued = false;
    };
    void insert(Entry& entry, TimePoint when) {
        cancel(entry);
        entry.position = queue_.emplace(when, &entry);
        entry.queued = true;
    }
    void cancel(Entry& entry) noexcept {
        if (entry.queued) {
            queue_.erase(entry.position);
            entry.queued = false;
        }
    }

private:
    std::multimap<TimePoint, Entry*> queue_;
};

void multimap_timer_insert_cancel(benchmark::State& state) {
    MultimapTimers timers;
    std::vector<MultimapTimers::Entry> entries(kPending);
    for (std::size_t k = 0; k < kPending; ++k) timers.insert(entries[k], deadline(k));
    std::size_t k = 0;
    std::size_t round = 1;
    for (auto _ : state) {
        timers.cancel(entries[k]);
        timers.insert(entries[k], deadline(k + round));
        if (++k == kPending) k = 0, ++round;
    }
}
BENCHMARK(multimap_timer_insert_cancel);

void metalio_timer_wheel_insert_cancel(benchmark::State& state) {
    metalio::rt::Timers timers(TimePoint{});
    auto entries = std::make_unique<metalio::rt::Timers::Entry[]>(kPending);
    for (std::size_t k = 0; k < kPending; ++k) timers.insert(entries[k], deadline(k));
    std::size_t k = 0;
    std::size_t round = 1;
    for (auto _ : state) {
        entries[k].cancel();
        timers.insert(entries[k], deadline(k + round));
        if (++k == kPending) k = 0, ++round;
    }
    benchmark::DoNotOptimize(timers.size());
}
BENCHMARK(metalio_timer_wheel_insert_cancel);

}  // namespace
