// Stage 10: the completion API. Each operation comes back once with its
// token and its buffer; cancelled, timed out or failed, it still comes back.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

#include "uring_test.hpp"

using metalio::Token;
using metalio::uring::Buffer;
using metalio::uring::Completion;
using metalio::uring::Driver;
using metalio::uring::OpId;
using uring_test::buffer_of;
using uring_test::connect_to;
using uring_test::wait_one;

namespace {

// A socket closes when the test case ends, whatever happens.
struct Fd {
    int fd;
    ~Fd() { if (fd >= 0) ::close(fd); }
};

std::string read_exactly(int fd, std::size_t count) {
    std::string text(count, '\0');
    std::size_t got = 0;
    while (got < count) {
        const ssize_t n = ::recv(fd, text.data() + got, count - got, 0);
        REQUIRE(n > 0);
        got += static_cast<std::size_t>(n);
    }
    return text;
}

// Accepts one connection of @p server through @p driver.
metalio::sys::OwnedFd accept_one(Driver& driver, const metalio::net::TcpListener& server) {
    REQUIRE(driver.accept(server.as_raw_fd(), Token{1}).has_value());
    Completion accepted = wait_one(driver);
    CHECK(accepted.token == Token{1});
    REQUIRE_MESSAGE(accepted.result.has_value(), metalio::test::why(accepted.result));
    CHECK(static_cast<int>(*accepted.result) == accepted.accepted.get());
    return std::move(accepted.accepted);
}

}  // namespace

TEST_CASE("Driver: accept, recv and send complete with their tokens and the buffers come back to their owner") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    auto server = uring_test::listener();
    const Fd client{connect_to(server)};
    auto connection = accept_one(driver, server);
    CHECK((::fcntl(connection.get(), F_GETFD) & FD_CLOEXEC) != 0);

    REQUIRE(::send(client.fd, "ping", 4, 0) == 4);
    Buffer buffer(64);
    const std::byte* storage = buffer.data();
    REQUIRE(driver.recv(connection.get(), std::move(buffer), Token{2}).has_value());
    CHECK(buffer.capacity() == 0);  // moved into the operation
    CHECK(driver.in_flight() == 1);
    Completion received = wait_one(driver);
    CHECK(received.token == Token{2});
    REQUIRE(received.result.has_value());
    CHECK(*received.result == 4);
    CHECK(received.buffer.view() == "ping");
    CHECK(received.buffer.data() == storage);  // the same bytes, never copied
    CHECK(driver.in_flight() == 0);

    received.buffer.assign("pong!");
    REQUIRE(driver.send(connection.get(), std::move(received.buffer), Token{3}).has_value());
    Completion sent = wait_one(driver);
    CHECK(sent.token == Token{3});
    REQUIRE(sent.result.has_value());
    CHECK(*sent.result == 5);
    CHECK(sent.buffer.view() == "pong!");
    CHECK(read_exactly(client.fd, 5) == "pong!");
}

TEST_CASE("Driver: recv completes with 0 at end of stream") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    auto server = uring_test::listener();
    Fd client{connect_to(server)};
    auto connection = accept_one(driver, server);
    REQUIRE(driver.recv(connection.get(), Buffer(16), Token{4}).has_value());
    ::close(std::exchange(client.fd, -1));
    Completion end = wait_one(driver);
    REQUIRE(end.result.has_value());
    CHECK(*end.result == 0);
    CHECK(end.buffer.capacity() == 16);
}

TEST_CASE("Driver: a cancelled recv completes with ECANCELED and still hands its buffer back") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    auto server = uring_test::listener();
    const Fd client{connect_to(server)};
    auto connection = accept_one(driver, server);
    auto pending = driver.recv(connection.get(), Buffer(32), Token{5});
    REQUIRE(pending.has_value());
    REQUIRE(driver.cancel(*pending, Token{6}).has_value());
    bool saw_recv = false;
    bool saw_cancel = false;
    for (int i = 0; i < 2; ++i) {
        Completion done = wait_one(driver);
        if (done.token == Token{5}) {
            saw_recv = true;
            CHECK(done.result.error() == std::errc::operation_canceled);
            CHECK(done.buffer.capacity() == 32);
        } else {
            saw_cancel = true;
            CHECK(done.token == Token{6});
            CHECK(done.result.has_value());
        }
    }
    CHECK(saw_recv);
    CHECK(saw_cancel);
    CHECK(driver.in_flight() == 0);
    // The stale OpId names nothing any more.
    REQUIRE(driver.cancel(*pending, Token{7}).has_value());
    CHECK(wait_one(driver).result.error() == std::errc::no_such_file_or_directory);
}

TEST_CASE("Driver: a timeout completes with ETIME, no earlier than asked, or ECANCELED when cancelled") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(driver.timeout(std::chrono::milliseconds(20), Token{8}).has_value());
    Completion expired = wait_one(driver);
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(20));
    CHECK(expired.token == Token{8});
    CHECK(expired.result.error() == std::error_code(ETIME, std::system_category()));

    auto long_one = driver.timeout(std::chrono::hours(1), Token{9});
    REQUIRE(long_one.has_value());
    REQUIRE(driver.cancel(*long_one, Token{10}).has_value());
    for (int i = 0; i < 2; ++i) {
        Completion done = wait_one(driver);
        if (done.token == Token{9}) CHECK(done.result.error() == std::errc::operation_canceled);
    }
    CHECK(driver.in_flight() == 0);
}

TEST_CASE("Driver: more operations than submission slots: the queue is flushed, every one completes once") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver(4);
    for (std::size_t i = 0; i < 50; ++i) {
        REQUIRE(driver.timeout(std::chrono::microseconds(1), Token{i}).has_value());
    }
    std::vector<int> seen(50, 0);
    for (std::size_t i = 0; i < 50; ++i) ++seen.at(wait_one(driver).token.value);
    CHECK(std::ranges::count(seen, 1) == 50);
    CHECK(driver.in_flight() == 0);
}

TEST_CASE("Driver: bad input gives an error completion, not a crash: a closed descriptor, a send to a closed peer") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    REQUIRE(driver.recv(-1, Buffer(8), Token{11}).has_value());
    CHECK(wait_one(driver).result.error() == std::errc::bad_file_descriptor);

    auto server = uring_test::listener();
    Fd client{connect_to(server)};
    auto connection = accept_one(driver, server);
    ::close(std::exchange(client.fd, -1));
    // The first send may still be accepted by the kernel; a later one meets
    // the reset. A SIGPIPE would end the test process: MSG_NOSIGNAL.
    std::error_code failure;
    for (int i = 0; i < 20 && !failure; ++i) {
        REQUIRE(driver.send(connection.get(), buffer_of("data"), Token{12}).has_value());
        Completion sent = wait_one(driver);
        if (!sent.result) failure = sent.result.error();
    }
    CHECK((failure == std::errc::broken_pipe || failure == std::errc::connection_reset));
}

TEST_CASE("Driver: destroyed with operations in flight, it cancels them and frees their buffers after the kernel let go") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    auto server = uring_test::listener();
    const Fd client{connect_to(server)};
    {
        Driver driver = uring_test::driver();
        auto connection = accept_one(driver, server);
        REQUIRE(driver.recv(connection.get(), Buffer(1024), Token{13}).has_value());
        REQUIRE(driver.accept(server.as_raw_fd(), Token{14}).has_value());
        REQUIRE(driver.timeout(std::chrono::hours(1), Token{15}).has_value());
        REQUIRE(driver.submit_and_wait(0).has_value());
        CHECK(driver.in_flight() == 3);
    }  // ASan would see the kernel write into a freed buffer; FdLeakCheck a leaked fd
    // The bytes the cancelled recv did not take are still there for the next reader.
    REQUIRE(::send(client.fd, "x", 1, 0) == 1);
}

TEST_CASE("Driver: a multishot accept completes once per connection and goes on (Linux 5.19)") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver driver = uring_test::driver();
    auto server = uring_test::listener();
    auto multishot = driver.accept_multishot(server.as_raw_fd(), Token{16});
    REQUIRE(multishot.has_value());
    std::vector<Fd> clients;
    for (int i = 0; i < 3; ++i) clients.push_back(Fd{connect_to(server)});
    for (int i = 0; i < 3; ++i) {
        Completion accepted = wait_one(driver);
        if (!accepted.result && accepted.result.error() == std::errc::invalid_argument) {
            MESSAGE("skipped: this kernel has no multishot accept (before 5.19)");
            return;
        }
        REQUIRE(accepted.result.has_value());
        CHECK(accepted.accepted.get() >= 0);
        CHECK(accepted.more);
    }
    CHECK(driver.in_flight() == 1);  // still armed
    REQUIRE(driver.cancel(*multishot, Token{17}).has_value());
    while (driver.in_flight() > 0) (void)wait_one(driver);
}

TEST_CASE("Driver: moved, the new owner finishes what the old one submitted") {
    const metalio::test::FdLeakCheck no_leak;
    if (uring_test::skip()) return;
    Driver first = uring_test::driver();
    REQUIRE(first.timeout(std::chrono::microseconds(1), Token{18}).has_value());
    Driver second = std::move(first);
    CHECK(wait_one(second).token == Token{18});
}
