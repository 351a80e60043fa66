// C10K on io_uring (issue 22): the same 10,000 connections from the same
// client process as c10k_test.cpp, served by stage 10's completion API in
// one thread. Each connection has one operation in flight at a time: its
// greeting ('+'), then a recv, the send of what it received, a recv, ...
// until end of stream. A periodic timeout (100 ms) lets the server notice
// its deadline or a stop request from the main thread.
//
// A second case serves them with stage 09's runtime on the ring
// (rt::ring::Runtime): one task per connection, co_await read and write_all.
//
// Prints one parseable line per case, e.g.
//   c10k-uring: connections=10000 bytes=640000 seconds=...
// Skips (prints "skipped: io_uring ...") where the kernel has no io_uring.
#include <sys/resource.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client_process.hpp"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/rt/ring/runtime.hpp"
#include "metalio/rt/ring/tcp_listener.hpp"
#include "metalio/rt/timers.hpp"
#include "metalio/uring/driver.hpp"
#include "metalio_test.hpp"

using namespace std::chrono_literals;
using metalio::Token;
using metalio::net::SocketAddr;
using metalio::net::TcpListener;
using metalio::uring::Buffer;
using metalio::uring::Completion;
using metalio::uring::Driver;

namespace {

constexpr std::size_t kConnections = 10'000;
constexpr std::size_t kMessageSize = 64;
constexpr std::size_t kWindow = 512;
constexpr auto kClientTimeout = 90s;
constexpr auto kOverallTimeout = 100s;
constexpr std::size_t kFdMargin = 100;
constexpr Token kListener{~std::size_t{0}};
constexpr Token kTick{~std::size_t{0} - 1};

struct Report {
    std::size_t accepted = 0;
    std::size_t closed = 0;
    std::size_t bytes_echoed = 0;
    std::string error;
};

class UringEchoServer {
public:
    UringEchoServer(TcpListener listener, std::chrono::steady_clock::time_point deadline, std::atomic<bool>& stop)
        : listener_(std::move(listener)), deadline_(deadline), stop_(stop), connections_(kConnections) {}

    // Runs on the server thread, which creates the ring (the thread that
    // made a ring is the one that may submit to it).
    Report run() {
        auto driver = Driver::create(1024);
        if (!driver) return fail("Driver::create", driver.error());
        if (auto armed = driver->accept_multishot(listener_.as_raw_fd(), kListener); !armed) return fail("accept", armed.error());
        if (auto ticking = driver->timeout(100ms, kTick); !ticking) return fail("timeout", ticking.error());
        while (report_.closed < kConnections) {
            if (stop_.load() || std::chrono::steady_clock::now() > deadline_) {
                report_.error = "stopped: " + std::to_string(report_.accepted) + " accepted, " +
                                std::to_string(report_.closed) + " closed";
                break;
            }
            if (auto waited = driver->submit_and_wait(1); !waited) return fail("io_uring_enter", waited.error());
            while (auto completion = driver->next()) {
                if (!handle(*driver, std::move(*completion))) return report_;
            }
        }
        return report_;  // the Driver cancels what is left; connections_ closes every socket
    }

private:
    Report fail(const char* what, const std::error_code& error) {
        report_.error = std::string(what) + ": " + error.message();
        return report_;
    }

    bool handle(Driver& driver, Completion completion) {
        if (completion.token == kTick) {
            return driver.timeout(100ms, kTick).has_value() || (fail("timeout", {}), false);
        }
        if (completion.token == kListener) {
            if (completion.accepted.get() >= 0) {
                if (report_.accepted == kConnections) {
                    report_.error = "more connections than the client should open";
                    return false;
                }
                const std::size_t index = report_.accepted++;
                connections_[index].emplace(std::move(completion.accepted));
                Buffer greeting(kMessageSize);
                greeting.assign("+");
                if (auto sent = driver.send(connections_[index]->get(), std::move(greeting), Token{index}); !sent) {
                    fail("send", sent.error());
                    return false;
                }
            } else if (!completion.more) {
                fail("accept", completion.result.error());
                return false;
            }
            if (!completion.more && !driver.accept_multishot(listener_.as_raw_fd(), kListener)) return false;
            return true;
        }
        const std::size_t index = completion.token.value;
        const int fd = connections_[index]->get();
        if (!completion.result) {
            fail("recv/send", completion.result.error());
            return false;
        }
        Buffer buffer = std::move(completion.buffer);
        if (sending_[index]) {  // a send came back: send the rest, or receive again
            buffer.consume(*completion.result);
            if (buffer.len() > 0) return driver.send(fd, std::move(buffer), Token{index}).has_value();
            sending_[index] = false;
            return driver.recv(fd, std::move(buffer), Token{index}).has_value();
        }
        if (*completion.result == 0) {  // the client closed: so do we
            connections_[index].reset();
            ++report_.closed;
            return true;
        }
        report_.bytes_echoed += *completion.result;
        sending_[index] = true;
        return driver.send(fd, std::move(buffer), Token{index}).has_value();
    }

    TcpListener listener_;
    std::chrono::steady_clock::time_point deadline_;
    std::atomic<bool>& stop_;
    std::vector<std::optional<metalio::sys::OwnedFd>> connections_;
    std::vector<bool> sending_ = std::vector<bool>(kConnections, true);  // the first operation is the greeting
    Report report_;
};

// The client process against a server run by @p serve (on its own thread,
// which makes its own ring), with the descriptor limit raised; checks the
// server's Report and prints the case's line, prefixed with @p name.
template <class Serve>
void run_c10k(const char* name, Serve serve) {
    if (auto probe = metalio::uring::Ring::create(4); !probe) {
        std::printf("skipped: %s\n", probe.error().message().c_str());
        return;
    }
    const metalio::test::FdLeakCheck no_leak;
    rlimit limit{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
    const rlimit original = limit;
    REQUIRE_MESSAGE(limit.rlim_max >= kConnections + kFdMargin, "the hard limit of open files (ulimit -Hn) is too low");
    limit.rlim_cur = limit.rlim_max;
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &limit) == 0);

    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + kOverallTimeout;
    auto listener = TcpListener::bind(SocketAddr::v4({127, 0, 0, 1}, 0));
    REQUIRE(listener.has_value());
    const auto address = listener->local_addr();
    REQUIRE(address.has_value());
    std::atomic<bool> stop{false};
    Report report;
    {
        std::thread server_thread([&] { report = serve(std::move(*listener), deadline + 5s, stop); });
        const auto client = c10k::run_client(address->port(), deadline, kConnections, kWindow, kClientTimeout);
        if (!client.exited_cleanly) stop = true;
        server_thread.join();
        INFO("client said: ", client.output);
        CHECK_MESSAGE(client.exited_cleanly, "the client failed (its reason is on stderr above)");
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &original) == 0);
    CHECK_MESSAGE(report.error.empty(), "the server failed: ", report.error);
    CHECK(report.accepted == kConnections);
    CHECK(report.closed == kConnections);
    CHECK(report.bytes_echoed == kConnections * kMessageSize);
    std::printf("%s: connections=%zu bytes=%zu seconds=%.2f\n", name, report.accepted, report.bytes_echoed, seconds);
}

// The ring runtime's server: a task per connection greets with '+', then
// echoes until end of stream.
metalio::rt::Task<void> echo_task(metalio::rt::ring::TcpStream stream, Report* report) {
    std::array<std::byte, kMessageSize> buffer{};
    buffer[0] = std::byte{'+'};
    if (auto greeted = co_await stream.write_all(std::span(buffer).first(1)); !greeted) {
        report->error = "greeting: " + greeted.error().message();
        co_return;
    }
    for (;;) {
        auto read = co_await stream.read(buffer);
        if (!read) {
            report->error = "read: " + read.error().message();
            co_return;
        }
        if (*read == 0) break;
        report->bytes_echoed += *read;
        if (auto sent = co_await stream.write_all(std::span(buffer).first(*read)); !sent) {
            report->error = "write_all: " + sent.error().message();
            co_return;
        }
    }
    ++report->closed;
}

metalio::rt::Task<void> accept_loop(metalio::rt::ring::TcpListener* listener, Report* report) {
    for (;;) {
        auto accepted = co_await listener->accept();
        if (!accepted) {
            report->error = "accept: " + accepted.error().message();
            co_return;
        }
        ++report->accepted;
        (void)metalio::rt::spawn(echo_task(std::move(accepted->first), report));
    }
}

metalio::rt::Task<void> serve_until_done(TcpListener plain, std::chrono::steady_clock::time_point deadline,
                                         std::atomic<bool>* stop, Report* report) {
    auto listener = metalio::rt::ring::TcpListener::from_std(std::move(plain));
    if (!listener) {
        report->error = "from_std: " + listener.error().message();
        co_return;
    }
    (void)metalio::rt::spawn(accept_loop(&*listener, report));
    // Checks every 100 ms whether the work is done, stopped or late.
    while (report->closed < kConnections && report->error.empty()) {
        if (stop->load() || std::chrono::steady_clock::now() > deadline) {
            report->error = "stopped: " + std::to_string(report->accepted) + " accepted, " +
                            std::to_string(report->closed) + " closed";
            break;
        }
        co_await metalio::rt::sleep_for(100ms);
    }
}

Report serve_on_ring_runtime(TcpListener listener, std::chrono::steady_clock::time_point deadline,
                             std::atomic<bool>& stop) {
    Report report;
    auto runtime = metalio::rt::ring::Runtime::create(1024);
    if (!runtime) {
        report.error = "Runtime::create: " + runtime.error().message();
        return report;
    }
    if (auto ran = runtime->block_on(serve_until_done(std::move(listener), deadline, &stop, &report)); !ran) {
        report.error = "block_on: " + ran.error().message();
    }
    return report;  // the runtime's destructor ends the parked tasks and waits for the kernel
}

}  // namespace

TEST_CASE("c10k on io_uring: one thread of stage 10's completion API echoes on 10,000 simultaneous connections") {
    run_c10k("c10k-uring", [](TcpListener listener, std::chrono::steady_clock::time_point deadline,
                              std::atomic<bool>& stop) {
        UringEchoServer server(std::move(listener), deadline, stop);
        return server.run();
    });
}

TEST_CASE("c10k on the ring runtime: one thread of stage 09's runtime on io_uring echoes on 10,000 simultaneous connections") {
    run_c10k("c10k-rt-ring", serve_on_ring_runtime);
}
