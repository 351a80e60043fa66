// The runner of the fault sweep: doctest's own main, plus a summary of how
// many fault points every operation has and their total, printed after all
// sweeps ran. The last line is parseable: "fault points tried: N".
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

#include "sweep.hpp"

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    const int failed = context.run();
    if (context.shouldExit()) return failed;

    const auto& tally = faults::tally();
    std::printf("fault sweep (%s selector): system calls per operation, each one failed once\n",
                METALIO_SELECTOR_POLL ? "poll(2)" : METALIO_SELECTOR_KQUEUE ? "kqueue" : "epoll");
    for (const auto& row : tally.rows) std::printf("  %-52s %zu\n", row.what.c_str(), row.points);
    std::printf("fault points tried: %zu\n", tally.total);
    std::fflush(stdout);
    if (failed == 0 && tally.total == 0) {
        std::fprintf(stderr, "no fault point was tried: the sweep did not run\n");
        return 1;
    }
    return failed;
}
