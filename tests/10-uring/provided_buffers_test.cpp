// Stage 10: provided buffers (a BufferRing per group) and multishot recv.
// The kernel picks the buffer when data arrives, the Completion lends it,
// and dropping it gives it back; an empty ring ends in ENOBUFS with the
// bytes still in the socket.
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <initializer_list>
#include <string>
#include <vector>

#include "uring_test.hpp"

using metalio::Token;
using metalio::uring::Completion;
using metalio::uring::Driver;
using metalio::uring::ProvidedBuffer;
using uring_test::wait_one;

namespace {

// A connected pair of stream sockets, closed at the end of the test case.
struct Pair {
    int ours = -1;
    int theirs = -1;
    Pair() {
        int fds[2];
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
        ours = fds[0];
        theirs = fds[1];
    }
    ~Pair() {
        if (ours >= 0) ::close(ours);
        if (theirs >= 0) ::close(theirs);
    }
    void send(std::string_view text) const {
        REQUIRE(::send(theirs, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size()));
    }
};

std::error_code os(int error) { return {error, std::system_category()}; }

// Sends each text in turn and reaps the multishot recv's completion for
// it, keeping every lent buffer, so that each arrival takes another one.
std::vector<ProvidedBuffer> receive_holding(Driver& driver, const Pair& pair, Token token,
                                            std::initializer_list<std::string_view> texts) {
    std::vector<ProvidedBuffer> kept;
    for (const std::string_view text : texts) {
        pair.send(text);
        Completion received = wait_one(driver);
        REQUIRE_MESSAGE(received.result.has_value(), metalio::test::why(received.result));
        CHECK(received.token == token);
        CHECK(received.more);  // still armed
        CHECK(received.provided.view() == text);
        kept.push_back(std::move(received.provided));
        CHECK(driver.in_flight() == 1);
    }
    return kept;
}

}  // namespace

TEST_CASE("Driver::recv_provided: the kernel picks a buffer of the group, the Completion lends it, dropping it gives it back") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    REQUIRE(driver.provide_buffers(7, 1, 64).has_value());  // one buffer: each recv needs the last one back
    Pair pair;
    for (const std::string_view text : {"first", "second", "third"}) {
        REQUIRE(driver.recv_provided(pair.ours, 7, Token{1}).has_value());
        pair.send(text);
        Completion received = wait_one(driver);
        CHECK(received.token == Token{1});
        REQUIRE_MESSAGE(received.result.has_value(), metalio::test::why(received.result));
        CHECK(*received.result == text.size());
        REQUIRE(received.provided);
        CHECK(received.provided.view() == text);
        CHECK(received.provided.id() == 0);
        CHECK(received.buffer.capacity() == 0);  // no Buffer of its own
    }  // received is dropped at the end of each round: buffer 0 is back in the ring
    CHECK(driver.in_flight() == 0);
}

TEST_CASE("Driver::recv_multishot: one submission, one completion per arrival, until the end of the stream (Linux 6.0)") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    REQUIRE(driver.provide_buffers(1, 4, 64).has_value());
    Pair pair;
    REQUIRE(driver.recv_multishot(pair.ours, 1, Token{5}).has_value());
    CHECK(driver.in_flight() == 1);
    const auto kept = receive_holding(driver, pair, Token{5}, {"one", "two", "three"});
    CHECK(kept[0].id() != kept[1].id());
    CHECK(kept[1].id() != kept[2].id());
    ::close(std::exchange(pair.theirs, -1));
    Completion ended = wait_one(driver);
    REQUIRE(ended.result.has_value());
    CHECK(*ended.result == 0);  // end of stream ends it
    CHECK_FALSE(ended.more);
    CHECK(driver.in_flight() == 0);
}

TEST_CASE("Driver: an empty buffer ring ends a multishot recv with ENOBUFS; the bytes wait in the socket, none are lost") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    REQUIRE(driver.provide_buffers(2, 2, 64).has_value());
    Pair pair;
    REQUIRE(driver.recv_multishot(pair.ours, 2, Token{9}).has_value());
    auto kept = receive_holding(driver, pair, Token{9}, {"a", "b"});
    pair.send("not lost");  // both buffers are held: nowhere to put it
    Completion starved = wait_one(driver);
    REQUIRE_FALSE(starved.result.has_value());
    CHECK(starved.result.error() == os(ENOBUFS));
    CHECK_FALSE(starved.more);  // the multishot recv is over
    CHECK_FALSE(starved.provided);
    CHECK(driver.in_flight() == 0);

    kept.clear();  // both buffers go back to the ring
    REQUIRE(driver.recv_multishot(pair.ours, 2, Token{10}).has_value());
    Completion resumed = wait_one(driver);
    REQUIRE_MESSAGE(resumed.result.has_value(), metalio::test::why(resumed.result));
    CHECK(resumed.provided.view() == "not lost");
    CHECK(resumed.more);
}

TEST_CASE("Driver: next(Completion&) fills one Completion again and again, giving back what it lent before") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    // Two buffers, three arrivals: the third finds a buffer only if reaping
    // the second gave the first back. (The kernel picks a buffer when the
    // bytes arrive, before the program reaps anything: a pool of one would
    // be empty for the second arrival.)
    REQUIRE(driver.provide_buffers(3, 2, 16).has_value());
    Pair pair;
    REQUIRE(driver.recv_multishot(pair.ours, 3, Token{4}).has_value());
    Completion completion;
    CHECK_FALSE(driver.next(completion));  // nothing yet: untouched
    std::vector<std::uint16_t> ids;
    for (const std::string_view text : {"x", "yz", "w"}) {
        pair.send(text);
        while (!driver.next(completion)) REQUIRE(driver.submit_and_wait(1).has_value());
        REQUIRE_MESSAGE(completion.result.has_value(), metalio::test::why(completion.result));
        CHECK(completion.token == Token{4});
        CHECK(completion.provided.view() == text);
        CHECK(completion.more);
        ids.push_back(completion.provided.id());
    }
    CHECK(ids[2] == ids[0]);  // the first buffer, back in the ring
    const metalio::uring::OpId stale{std::uint64_t{77} << 32};  // a generation no slot has reached
    REQUIRE(driver.cancel(stale, Token{99}).has_value());
    while (driver.in_flight() > 1) {
        while (!driver.next(completion)) REQUIRE(driver.submit_and_wait(1).has_value());
    }
    CHECK(completion.token == Token{99});
    CHECK(completion.result == std::unexpected(os(ENOENT)));
    CHECK_FALSE(completion.provided);  // the recv's last buffer went back when this result came in
}

TEST_CASE("Driver: provided buffers refuse bad input with an error: unknown group, taken group, bad counts") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    Pair pair;
    auto unknown = driver.recv_provided(pair.ours, 4, Token{1});
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error() == std::errc::invalid_argument);
    CHECK_FALSE(driver.recv_multishot(pair.ours, 4, Token{1}).has_value());
    CHECK(driver.in_flight() == 0);
    REQUIRE(driver.provide_buffers(4, 8, 32).has_value());
    auto taken = driver.provide_buffers(4, 8, 32);
    REQUIRE_FALSE(taken.has_value());
    CHECK(taken.error() == std::errc::file_exists);
    for (const unsigned count : {0U, 3U}) {
        auto bad = driver.provide_buffers(5, static_cast<std::uint16_t>(count), 32);
        REQUIRE_FALSE(bad.has_value());
        CHECK(bad.error() == std::errc::invalid_argument);
    }
    CHECK_FALSE(driver.provide_buffers(5, 8, 0).has_value());
}

TEST_CASE("Driver: destroyed with a multishot recv armed, it cancels it and waits before the ring's memory goes") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Pair pair;
    {
        Driver driver = uring_test::driver();
        REQUIRE(driver.provide_buffers(0, 4, 64).has_value());
        REQUIRE(driver.recv_multishot(pair.ours, 0, Token{1}).has_value());
        REQUIRE(driver.submit_and_wait(0).has_value());
        CHECK(driver.in_flight() == 1);
    }
    pair.send("after");  // the kernel no longer has the recv: the bytes stay in the socket
    char byte[8];
    CHECK(::recv(pair.ours, byte, sizeof byte, MSG_DONTWAIT) == 5);
}
