// Stage 10: the ring itself, from the system calls up: the queues' sizes,
// an entry's round trip through the kernel, a full submission queue, the
// descriptor's close-on-exec and its release.
#include <fcntl.h>

#include "uring_test.hpp"

using metalio::uring::Ring;

namespace {

// A no-op request: the kernel completes it at once with result 0.
void queue_nop(Ring& ring, std::uint64_t user_data) {
    io_uring_sqe* entry = ring.submission().next();
    REQUIRE(entry != nullptr);
    entry->opcode = IORING_OP_NOP;
    entry->user_data = user_data;
}

}  // namespace

TEST_CASE("Ring::create: at least the slots asked for, twice as many completion slots, a close-on-exec descriptor") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    auto ring = Ring::create(6);
    REQUIRE(ring.has_value());
    CHECK(ring->submission().capacity() == 8);  // rounded up to a power of two
    CHECK(ring->completion().capacity() == 16);
    CHECK((::fcntl(ring->as_raw_fd(), F_GETFD) & FD_CLOEXEC) != 0);
    CHECK(ring->completion().peek() == nullptr);
}

TEST_CASE("Ring: an entry goes in, one io_uring_enter, its completion comes out with the same user data") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    auto ring = Ring::create(4);
    REQUIRE(ring.has_value());
    queue_nop(*ring, 42);
    queue_nop(*ring, 43);
    // Nothing is visible to the kernel before the enter: no completion yet.
    CHECK(ring->completion().peek() == nullptr);
    auto taken = ring->submit_and_wait(2);
    REQUIRE(taken.has_value());
    CHECK(*taken == 2);
    for (std::uint64_t expected : {42, 43}) {
        const io_uring_cqe* entry = ring->completion().peek();
        REQUIRE(entry != nullptr);
        CHECK(entry->user_data == expected);
        CHECK(entry->res == 0);
        ring->completion().advance();
    }
    CHECK(ring->completion().peek() == nullptr);
}

TEST_CASE("Ring: a full submission queue says so (nullptr), and has room again once the kernel took the entries") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    auto ring = Ring::create(4);
    REQUIRE(ring.has_value());
    for (std::uint64_t i = 0; i < 4; ++i) queue_nop(*ring, i);
    CHECK(ring->submission().next() == nullptr);
    REQUIRE(ring->submit_and_wait(0).has_value());
    // Several turns around both rings: positions wrap at the mask.
    std::uint64_t seen = 0;
    for (std::uint64_t round = 0; round < 10; ++round) {
        for (std::uint64_t i = 0; i < 4; ++i) queue_nop(*ring, 100 + round * 4 + i);
        REQUIRE(ring->submit_and_wait(4).has_value());
        while (const io_uring_cqe* entry = ring->completion().peek()) {
            if (entry->user_data >= 100) CHECK(entry->user_data == 100 + seen++);
            ring->completion().advance();
        }
    }
    CHECK(seen == 40);
}

TEST_CASE("Ring: moved, it keeps working, and its descriptor is closed once") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    auto created = Ring::create(4);
    REQUIRE(created.has_value());
    Ring ring = std::move(*created);
    CHECK(created->as_raw_fd() == -1);
    queue_nop(ring, 7);
    REQUIRE(ring.submit_and_wait(1).has_value());
    REQUIRE(ring.completion().peek() != nullptr);
    CHECK(ring.completion().peek()->user_data == 7);
}
