// Tests of exercise 10 (take_back: cancel a recv and get its buffer back).
// Without io_uring they cannot run: they print "exercise skipped: <reason>"
// and the honesty checks give no verdict (cmake/CheckExercise.cmake).
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "../10-uring/uring_test.hpp"
#include "exercise.hpp"

using metalio::Token;
using metalio::exercise::take_back;
using metalio::uring::Buffer;
using metalio::uring::Completion;
using metalio::uring::Driver;

namespace {

bool no_uring() {
    if (!uring_test::missing()) return false;
    std::printf("exercise skipped: %s\n", uring_test::missing()->c_str());
    return true;
}

// A driver with an accepted connection and its client.
struct Connected {
    Driver driver = uring_test::driver();
    metalio::net::TcpListener server = uring_test::listener();
    int client = uring_test::connect_to(server);
    metalio::sys::OwnedFd connection{-1};

    Connected() {
        REQUIRE(driver.accept(server.as_raw_fd(), Token{100}).has_value());
        Completion accepted = uring_test::wait_one(driver);
        REQUIRE(accepted.accepted.get() >= 0);
        connection = std::move(accepted.accepted);
    }
    ~Connected() { ::close(client); }
};

}  // namespace

TEST_CASE("a recv that received nothing: its whole buffer comes back, and nothing of yours is left in flight") {
    if (no_uring()) return;
    const metalio::test::FdLeakCheck no_leak;
    Connected c;
    auto recv = c.driver.recv(c.connection.get(), Buffer(64), Token{1});
    REQUIRE(recv.has_value());
    std::vector<Completion> others;
    auto back = take_back(c.driver, *recv, Token{1}, others);
    REQUIRE_MESSAGE(back.has_value(), "take_back failed: ", metalio::test::why(back));
    CHECK_MESSAGE(back->capacity() == 64, "the buffer you returned is not the recv's: wait for the recv's completion "
                                          "(token recv_token) and return its buffer");
    CHECK(back->len() == 0);
    CHECK_MESSAGE(c.driver.in_flight() == 0, "something is still in flight: the cancel has a completion of its own "
                                             "(token kCancelToken); wait for it too");
    CHECK(others.empty());
}

TEST_CASE("a recv that finished before the cancel: the bytes it received are kept") {
    if (no_uring()) return;
    const metalio::test::FdLeakCheck no_leak;
    Connected c;
    REQUIRE(::send(c.client, "hello", 5, 0) == 5);
    // The bytes are there: the recv completes as it is submitted.
    auto recv = c.driver.recv(c.connection.get(), Buffer(64), Token{2});
    REQUIRE(recv.has_value());
    REQUIRE(c.driver.submit_and_wait(0).has_value());
    std::vector<Completion> others;
    auto back = take_back(c.driver, *recv, Token{2}, others);
    REQUIRE_MESSAGE(back.has_value(), "take_back failed: ", metalio::test::why(back));
    CHECK_MESSAGE(back->view() == "hello", "the recv won the race: return its buffer as it came back, bytes and all");
    CHECK(c.driver.in_flight() == 0);
}

TEST_CASE("completions of other operations are kept for the caller, in order, and only yours are taken") {
    if (no_uring()) return;
    const metalio::test::FdLeakCheck no_leak;
    Connected c;
    // A timeout completes first and waits in the completion queue.
    REQUIRE(c.driver.timeout(std::chrono::microseconds(1), Token{7}).has_value());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(c.driver.submit_and_wait(1).has_value());
    auto recv = c.driver.recv(c.connection.get(), Buffer(32), Token{3});
    REQUIRE(recv.has_value());
    std::vector<Completion> others;
    auto back = take_back(c.driver, *recv, Token{3}, others);
    REQUIRE_MESSAGE(back.has_value(), "take_back failed: ", metalio::test::why(back));
    CHECK_MESSAGE(back->capacity() == 32, "the first completion was the timeout's, not the recv's: "
                                          "look at each completion's token");
    REQUIRE_MESSAGE(others.size() == 1, "the timeout's completion belongs in `others`");
    CHECK(others[0].token == Token{7});
    CHECK(c.driver.in_flight() == 0);
}
