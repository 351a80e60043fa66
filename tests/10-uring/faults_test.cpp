// Stage 10: every system call of the ring fails once on purpose (fault
// injection): the failure is reported as it happened, nothing leaks (no
// descriptor, no mapping, no buffer), and the ring is still usable.
#include <cerrno>

#include "metalio/sys/fault.hpp"
#include "uring_test.hpp"

#if METALIO_FAULT_INJECTION

namespace fault = metalio::sys::fault;
using metalio::Token;
using metalio::uring::Buffer;
using metalio::uring::Driver;
using metalio::uring::Ring;

namespace {

std::error_code os(int error) { return {error, std::system_category()}; }

}  // namespace

TEST_CASE("Ring::create: io_uring_setup and each mmap may fail, each failure is reported, nothing leaks") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    std::size_t failing = 0;
    for (;; ++failing) {
        CAPTURE(failing);
        fault::reset();
        fault::fail_nth(failing, ENOMEM);
        auto ring = Ring::create(8);
        const bool fault_used = fault::calls() > failing;
        const std::string call(fault::fired());
        fault::reset();
        if (!fault_used) {
            CHECK_MESSAGE(ring.has_value(), "create failed with no fault injected: ", metalio::test::why(ring));
            break;
        }
        REQUIRE_MESSAGE(!ring.has_value(), "create succeeded although ", call, " failed");
        CHECK(ring.error() == os(ENOMEM));
        CHECK((call == "io_uring_setup" || call == "mmap"));
    }
    // io_uring_setup, then two mmaps (one ring region, the entries) on a
    // kernel with IORING_FEAT_SINGLE_MMAP, three without.
    CHECK(failing >= 3);
}

TEST_CASE("Driver::submit_and_wait: a failing io_uring_enter is reported and the queued operations go in at the next turn") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    REQUIRE(driver.timeout(std::chrono::microseconds(1), Token{1}).has_value());
    fault::reset();
    fault::fail_next("io_uring_enter", EBUSY);
    auto failed = driver.submit_and_wait(1);
    fault::reset();
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error() == os(EBUSY));
    CHECK(uring_test::wait_one(driver).token == Token{1});
}

TEST_CASE("Driver: a signal (EINTR) during io_uring_enter is retried, not reported") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    REQUIRE(driver.timeout(std::chrono::microseconds(1), Token{2}).has_value());
    fault::reset();
    fault::fail_next("io_uring_enter", EINTR);
    auto waited = driver.submit_and_wait(1);
    fault::reset();
    CHECK(waited.has_value());
    CHECK(uring_test::wait_one(driver).token == Token{2});
}

TEST_CASE("Driver: when the queue is full and the enter that makes room fails, the buffer stays with the caller") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver(2);
    for (std::size_t i = 0; i < 2; ++i) REQUIRE(driver.timeout(std::chrono::microseconds(1), Token{i}).has_value());
    Buffer buffer = uring_test::buffer_of("kept");
    fault::reset();
    fault::fail_next("io_uring_enter", ENOMEM);
    auto refused = driver.send(0, std::move(buffer), Token{9});
    fault::reset();
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == os(ENOMEM));
    CHECK(buffer.view() == "kept");  // not moved from: nothing lost
    CHECK(driver.in_flight() == 2);
    while (driver.in_flight() > 0) (void)uring_test::wait_one(driver);
}

TEST_CASE("Driver::provide_buffers: a failing mmap or io_uring_register is reported, nothing leaks, the Driver goes on") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    for (const char* call : {"mmap", "io_uring_register"}) {
        CAPTURE(call);
        fault::reset();
        fault::fail_next(call, ENOMEM);
        auto refused = driver.provide_buffers(1, 4, 64);
        CHECK(fault::fired() == std::string_view(call));
        fault::reset();
        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error() == os(ENOMEM));
    }
    // A kernel before 5.19 answers EINVAL to IORING_REGISTER_PBUF_RING:
    // the error names what is missing.
    fault::fail_next("io_uring_register", EINVAL);
    auto old = driver.provide_buffers(1, 4, 64);
    fault::reset();
    REQUIRE_FALSE(old.has_value());
    CHECK(old.error() == metalio::uring::Errc::no_buffer_ring);
    MESSAGE("what a program prints: ", old.error().message());
    // The group was never taken: it can be provided now.
    CHECK(driver.provide_buffers(1, 4, 64).has_value());
}

#endif
