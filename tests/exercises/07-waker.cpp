// Tests of exercise 07 (wake on a raw eventfd).
#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

#include "exercise.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio_test.hpp"

using metalio::exercise::wake;
using metalio::sys::OwnedFd;

namespace {

OwnedFd make_eventfd() {
    OwnedFd fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    REQUIRE(fd.get() >= 0);
    return fd;
}

// Reads (and thereby zeroes) the counter; 0 if it was empty.
std::uint64_t take_counter(int fd) {
    std::uint64_t count = 0;
    if (::read(fd, &count, sizeof count) != sizeof count) return 0;
    return count;
}

}  // namespace

TEST_CASE("one wake adds exactly one to the counter") {
    const metalio::test::FdLeakCheck no_leak;
    const OwnedFd fd = make_eventfd();
    const auto woken = wake(fd.get());
    REQUIRE_MESSAGE(woken.has_value(), "wake() failed: ", metalio::test::why(woken));
    CHECK_MESSAGE(take_counter(fd.get()) == 1, "after one wake the eventfd counter should be 1");
}

TEST_CASE("three wakes add up to three") {
    const metalio::test::FdLeakCheck no_leak;
    const OwnedFd fd = make_eventfd();
    for (int i = 0; i < 3; ++i) REQUIRE(wake(fd.get()));
    CHECK(take_counter(fd.get()) == 3);
}

TEST_CASE("a wake on a counter about to overflow resets it and succeeds") {
    const metalio::test::FdLeakCheck no_leak;
    const OwnedFd fd = make_eventfd();
    const std::uint64_t almost_full = 0xfffffffffffffffe;  // the largest value an eventfd holds
    REQUIRE(::write(fd.get(), &almost_full, sizeof almost_full) == sizeof almost_full);
    const auto woken = wake(fd.get());
    REQUIRE_MESSAGE(woken.has_value(), "on a full counter a write says WouldBlock: read the counter to reset it "
                                       "and write again; got: ", metalio::test::why(woken));
    CHECK_MESSAGE(take_counter(fd.get()) == 1, "after the reset the counter should hold just the new 1");
}

TEST_CASE("a bad fd is reported as EBADF, not hidden") {
    const metalio::test::FdLeakCheck no_leak;
    int closed = -1;
    {
        const OwnedFd fd = make_eventfd();
        closed = fd.get();
    }
    REQUIRE(::fcntl(closed, F_GETFD) == -1);  // really closed now
    const auto woken = wake(closed);
    REQUIRE_FALSE_MESSAGE(woken.has_value(), "wake() on a closed fd cannot succeed");
    CHECK(woken.error() == std::errc::bad_file_descriptor);
}
