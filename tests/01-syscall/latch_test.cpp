// The tests' own Latch (tests/support/latch.hpp), which FdLeakCheck's
// warm-up uses on Windows. Four threads meet at a fresh latch thousands of
// times in a row: none may pass before all four have arrived, and none may
// sleep through the last arrival. With GCC 12's std::latch for mingw-w64 in
// its place, this loop hangs under Wine (a lost wake-up), and CTest's
// timeout fails the case. Portable: it runs in every build, under TSan too.
#include <array>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "joining_thread.hpp"
#include "latch.hpp"
#include "metalio_test.hpp"

TEST_CASE("the tests' Latch: four threads meet 3000 times, none early and none left asleep") {
    const metalio::test::FdLeakCheck no_leak;  // on Windows: the latches' and threads' handles are closed
    constexpr int kThreads = 4;
    constexpr int kRounds = 3000;
    std::vector<std::unique_ptr<metalio::test::Latch>> latches;
    std::vector<std::atomic<int>> arrived(kRounds);
    for (int round = 0; round < kRounds; ++round) latches.push_back(std::make_unique<metalio::test::Latch>(kThreads));

    std::array<int, kThreads> early{};  // rounds a thread left before everyone had arrived
    auto meet_every_round = [&](int me) {
        for (int round = 0; round < kRounds; ++round) {
            arrived[round].fetch_add(1);
            latches[round]->arrive_and_wait();
            if (arrived[round].load() != kThreads) ++early[me];
        }
    };
    {
        std::vector<metalio::test::JoiningThread> others;
        for (int i = 1; i < kThreads; ++i) others.emplace_back(meet_every_round, i);
        meet_every_round(0);
    }  // the others join here; a lost wake-up would leave one asleep for ever
    for (int i = 0; i < kThreads; ++i) CHECK_MESSAGE(early[i] == 0, "thread ", i, " passed the latch early ", early[i], " times");
}
