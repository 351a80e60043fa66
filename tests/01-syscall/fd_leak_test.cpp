// The descriptor-leak check is honest: every way it counts sees a new
// descriptor, and FdLeakCheck fails a test that leaks one. Every Unix test
// case that opens descriptors rests on this check, so it is tested itself.
#include "metalio_test.hpp"
#include <unistd.h>

#include "metalio/sys/owned_fd.hpp"
#include "metalio/sys/unix/portable/pipe.hpp"

using metalio::sys::OwnedFd;
using metalio::test::count_open_fds;
using metalio::test::FdCountMethod;

namespace {

struct Pipe {
    OwnedFd reader{-1};
    OwnedFd writer{-1};
};

Pipe open_pipe() {
    int ends[2] = {-1, -1};
    REQUIRE(metalio::sys::portable::pipe(ends).has_value());
    return Pipe{OwnedFd(ends[0]), OwnedFd(ends[1])};
}

}  // namespace

TEST_CASE("each way of counting descriptors that works here sees two more after a pipe, and two fewer after closing it") {
    int methods_that_work = 0;
    for (const auto method : {FdCountMethod::proc, FdCountMethod::dev_fd, FdCountMethod::probe}) {
        CAPTURE(static_cast<int>(method));
        const auto before = count_open_fds(method);
        if (!before) continue;  // e.g. no /proc on macOS
        ++methods_that_work;
        CHECK(*before >= 1);  // this process has at least the descriptor it counts through, or stdio
        {
            const Pipe leaked = open_pipe();
            const auto during = count_open_fds(method);
            REQUIRE(during.has_value());
            CHECK(*during == *before + 2);
        }
        CHECK(count_open_fds(method) == before);
    }
    // The probe works wherever RLIMIT_NOFILE is finite; on Linux all three do.
    CHECK(methods_that_work >= 1);
#if defined(__linux__)
    CHECK(methods_that_work == 3);
#endif
}

// Expected to fail: the check sees the pipe that is still open when it runs
// (FdLeakCheck is destroyed before `leaked`, which closes it afterwards, so
// no later test sees it). doctest counts this case as passed only if it fails.
TEST_CASE("FdLeakCheck fails a test case that ends with a descriptor more than it began with" *
          doctest::should_fail()) {
    Pipe leaked;
    const metalio::test::FdLeakCheck no_leak;
    leaked = open_pipe();
}
