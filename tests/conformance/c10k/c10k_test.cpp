// C10K (issue #4): one metalio echo server, in one thread of this process,
// holds 10,000 TCP connections at the same time over 127.0.0.1, and echoes a
// unique 64-byte message on each without losing, adding or reordering a byte.
// The client is another process (c10k_client, plain epoll, no metalio).
//
// Protocol per connection: the server greets with one byte '+' as soon as it
// has accepted and registered the connection; the client opens ALL
// connections and waits for all greetings before it sends anything (so all
// 10,000 are open at once: the server counts the peak), then sends its
// message, checks the echo, and finally closes; the server closes its end on
// end-of-file. The server stops by itself once every connection is closed,
// or when the main thread wakes it (Waker) because the client failed, or at
// its deadline. Everything is bounded: no step waits without a timeout.
// It runs in every build, sanitizers included: under ASan and TSan it was
// measured at about 4 s (vs. 2 s plain), so there is no reason to skip it.
//
// Prints one parseable line, e.g.
//   c10k: selector=epoll connections=10000 bytes=640000 peak_rss_kib_before=... peak_rss_kib=... seconds=...
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "metalio/net/tcp_listener.hpp"
#include "metalio/net/tcp_stream.hpp"
#include "metalio/poll.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/waker.hpp"
#include "metalio_test.hpp"

extern char** environ;

using namespace std::chrono_literals;
using metalio::Events;
using metalio::Interest;
using metalio::Poll;
using metalio::Token;
using metalio::Waker;
using metalio::net::SocketAddr;
using metalio::net::TcpListener;
using metalio::net::TcpStream;
using metalio::test::why;

namespace {

constexpr std::size_t kConnections = 10'000;
constexpr std::size_t kMessageSize = 64;  // what c10k_client sends per connection
constexpr std::size_t kWindow = 512;      // connections the client keeps waiting for their greeting
constexpr auto kClientTimeout = 90s;      // the client gives up by itself after this
constexpr auto kOverallTimeout = 100s;    // the test kills the client and stops the server after this
constexpr std::size_t kFdMargin = 100;    // fds besides the connections (listener, selector, stdio, ...)

constexpr Token kListener{0};
constexpr Token kStop{1};
constexpr std::size_t kFirstConnection = 2;

/// Peak resident set size of this process (VmHWM), in KiB.
std::size_t peak_rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6));
    }
    return 0;
}

// ---------------------------------------------------------------- server

struct Connection {
    TcpStream stream;
    std::string pending;  // bytes to echo that the socket did not take yet
    bool wants_writable = false;
};

struct ServerReport {
    std::size_t accepted = 0;
    std::size_t peak_open = 0;
    std::size_t closed = 0;
    std::size_t bytes_echoed = 0;  // bytes received and queued back (the greetings not counted)
    bool stopped_by_waker = false;
    std::string error;  // empty: no error
};

class EchoServer {
public:
    EchoServer(Poll poll, TcpListener listener, std::chrono::steady_clock::time_point deadline)
        : poll_(std::move(poll)), listener_(std::move(listener)), deadline_(deadline) {
        connections_.resize(kConnections);
    }

    ServerReport run() {
        if (auto done = poll_.registry().register_(listener_, kListener, Interest::READABLE); !done) {
            return fail("register listener", done.error());
        }
        Events events = Events::with_capacity(1024);
        while (report_.closed < kConnections) {
            if (std::chrono::steady_clock::now() > deadline_) {
                report_.error = "timed out: " + std::to_string(report_.accepted) + " accepted, " +
                                std::to_string(report_.closed) + " closed";
                return finish();
            }
            if (auto polled = poll_.poll(events, 200ms); !polled) {
                if (metalio::io::is_interrupted(polled.error())) continue;
                return fail("poll", polled.error());
            }
            for (const metalio::Event event : events) {
                if (event.token() == kStop) {
                    report_.stopped_by_waker = true;
                    return finish();
                }
                if (event.token() == kListener) {
                    if (!accept_all()) return finish();
                    continue;
                }
                if (!handle(event.token().value - kFirstConnection, event)) return finish();
            }
        }
        return finish();
    }

    const metalio::Registry& registry() const { return poll_.registry(); }

private:
    ServerReport fail(const std::string& what, const std::error_code& error) {
        report_.error = what + ": " + error.message();
        return finish();
    }

    ServerReport finish() {
        for (auto& connection : connections_) connection.reset();  // closes what is left
        return report_;
    }

    bool accept_all() {
        for (;;) {
            auto accepted = listener_.accept();
            if (!accepted) {
                if (metalio::io::is_would_block(accepted.error())) return true;
                if (metalio::io::is_interrupted(accepted.error())) continue;
                report_.error = "accept: " + accepted.error().message();
                return false;
            }
            if (report_.accepted == kConnections) {
                report_.error = "more connections than the client should open";
                return false;
            }
            const std::size_t index = report_.accepted++;
            auto& slot = connections_[index];
            slot.emplace(Connection{std::move(accepted->first), "+", false});
            if (auto done = poll_.registry().register_(slot->stream, Token{kFirstConnection + index},
                                                       Interest::READABLE);
                !done) {
                report_.error = "register connection: " + done.error().message();
                return false;
            }
            ++open_;
            report_.peak_open = std::max(report_.peak_open, open_);
            if (!flush(index)) return false;  // the greeting
        }
    }

    // Sends what is pending; asks for WRITABLE only while something is left.
    bool flush(std::size_t index) {
        Connection& connection = *connections_[index];
        while (!connection.pending.empty()) {
            const auto written = connection.stream.write(std::string_view(connection.pending));
            if (written) {
                connection.pending.erase(0, *written);
                continue;
            }
            if (metalio::io::is_interrupted(written.error())) continue;
            if (!metalio::io::is_would_block(written.error())) {
                report_.error = "write: " + written.error().message();
                return false;
            }
            break;
        }
        const bool wants_writable = !connection.pending.empty();
        if (wants_writable != connection.wants_writable) {
            const auto interests = wants_writable ? Interest::READABLE | Interest::WRITABLE : Interest::READABLE;
            if (auto done = poll_.registry().reregister(connection.stream, Token{kFirstConnection + index}, interests);
                !done) {
                report_.error = "reregister: " + done.error().message();
                return false;
            }
            connection.wants_writable = wants_writable;
        }
        return true;
    }

    bool handle(std::size_t index, const metalio::Event& event) {
        if (index >= connections_.size() || !connections_[index]) return true;  // already closed: a stale event
        Connection& connection = *connections_[index];
        if (event.is_readable() || event.is_read_closed()) {
            char buffer[4096];
            for (;;) {
                const auto read = connection.stream.read(std::as_writable_bytes(std::span(buffer)));
                if (read && *read == 0) {  // the client closed: so do we
                    if (auto done = poll_.registry().deregister(connection.stream); !done) {
                        report_.error = "deregister: " + done.error().message();
                        return false;
                    }
                    connections_[index].reset();
                    --open_;
                    ++report_.closed;
                    return true;
                }
                if (read) {
                    connection.pending.append(buffer, *read);
                    report_.bytes_echoed += *read;
                    continue;
                }
                if (metalio::io::is_interrupted(read.error())) continue;
                if (metalio::io::is_would_block(read.error())) break;
                report_.error = "read: " + read.error().message();
                return false;
            }
        }
        return flush(index);
    }

    Poll poll_;
    TcpListener listener_;
    std::chrono::steady_clock::time_point deadline_;
    std::vector<std::optional<Connection>> connections_;  // by token - kFirstConnection
    std::size_t open_ = 0;
    ServerReport report_;
};

// ---------------------------------------------------------------- client

struct ClientResult {
    bool exited_cleanly = false;
    bool timed_out = false;
    std::string output;
};

ClientResult run_client(std::uint16_t port, std::chrono::steady_clock::time_point deadline) {
    int out[2];
    REQUIRE(metalio::test::pipe(out) == 0);
    metalio::sys::OwnedFd read_end(out[0]);
    metalio::sys::OwnedFd write_end(out[1]);
    const std::string port_text = std::to_string(port);
    const std::string count_text = std::to_string(kConnections);
    const std::string window_text = std::to_string(kWindow);
    const std::string timeout_text = std::to_string(std::chrono::seconds(kClientTimeout).count());
    std::vector<char*> argv = {const_cast<char*>(METALIO_C10K_CLIENT), const_cast<char*>(port_text.c_str()),
                               const_cast<char*>(count_text.c_str()), const_cast<char*>(window_text.c_str()),
                               const_cast<char*>(timeout_text.c_str()), nullptr};
    posix_spawn_file_actions_t actions;
    REQUIRE(::posix_spawn_file_actions_init(&actions) == 0);
    REQUIRE(::posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO) == 0);
    pid_t pid = -1;
    const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    REQUIRE_MESSAGE(spawned == 0, "could not start the client ", argv[0], ": ", std::strerror(spawned));
    write_end = metalio::sys::OwnedFd(-1);

    ClientResult result;
    int status = 0;
    for (;;) {
        char buffer[512];
        ssize_t got;
        while ((got = ::read(read_end.get(), buffer, sizeof buffer)) > 0) result.output.append(buffer, got);
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (std::chrono::steady_clock::now() > deadline) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(20ms);
    }
    char buffer[512];
    ssize_t got;
    while ((got = ::read(read_end.get(), buffer, sizeof buffer)) > 0) result.output.append(buffer, got);
    result.exited_cleanly = !result.timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return result;
}

}  // namespace

TEST_CASE("c10k: one metalio thread echoes on 10,000 simultaneous connections, byte for byte") {
    const metalio::test::FdLeakCheck no_leak;

    // Each process holds one end of every connection: 10,000 fds here, 10,000
    // in the client, plus a few.
    rlimit limit{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
    const rlimit original = limit;
    const std::size_t needed = kConnections + kFdMargin;
    REQUIRE_MESSAGE(limit.rlim_max >= needed, "the hard limit of open files (ulimit -Hn) is ", limit.rlim_max,
                    ", but each of the two processes of this test needs ", needed,
                    " descriptors; raise the hard limit (e.g. `ulimit -Hn 65536` as root, or LimitNOFILE= "
                    "in the container) and run again");
    limit.rlim_cur = limit.rlim_max;
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &limit) == 0);

    const std::size_t rss_before = peak_rss_kib();
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + kOverallTimeout;

    auto poll = Poll::create();
    REQUIRE_MESSAGE(poll.has_value(), "Poll::create failed: ", why(poll));
    auto listener = TcpListener::bind(SocketAddr::v4({127, 0, 0, 1}, 0));
    REQUIRE_MESSAGE(listener.has_value(), "bind failed: ", why(listener));
    const auto address = listener->local_addr();
    REQUIRE(address.has_value());
    auto stop = Waker::create(poll->registry(), kStop);
    REQUIRE_MESSAGE(stop.has_value(), "Waker::create failed: ", why(stop));

    auto server = std::make_unique<EchoServer>(std::move(*poll), std::move(*listener), deadline + 5s);
    ServerReport report;
    std::thread server_thread([&] { report = server->run(); });

    const ClientResult client = run_client(address->port(), deadline);
    if (!client.exited_cleanly) (void)stop->wake();  // the server would wait for closes that never come
    server_thread.join();
    server.reset();
    stop = std::unexpected(std::error_code());  // destroys the Waker: every fd is closed now
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::size_t rss_after = peak_rss_kib();
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &original) == 0);

    INFO("client said: ", client.output);
    CHECK_MESSAGE(!client.timed_out, "the client did not finish within ", kOverallTimeout.count(), " s");
    CHECK_MESSAGE(client.exited_cleanly, "the client failed (its reason is on stderr above)");
    CHECK_MESSAGE(report.error.empty(), "the server failed: ", report.error);
    CHECK_MESSAGE(!report.stopped_by_waker, "the server had to be stopped: it did not finish by itself");
    CHECK_MESSAGE(report.accepted == kConnections, "the server accepted ", report.accepted, " connections");
    CHECK_MESSAGE(report.peak_open == kConnections, "the server held at most ", report.peak_open,
                  " connections at the same time, not all ", kConnections);
    CHECK_MESSAGE(report.closed == kConnections, "the server saw ", report.closed, " connections closed");
    CHECK_MESSAGE(report.bytes_echoed == kConnections * kMessageSize, "the server echoed ", report.bytes_echoed,
                  " bytes instead of ", kConnections * kMessageSize);

    std::printf("c10k: selector=%s connections=%zu bytes=%zu peak_rss_kib_before=%zu peak_rss_kib=%zu seconds=%.2f\n",
                METALIO_SELECTOR_POLL ? "poll" : METALIO_SELECTOR_KQUEUE ? "kqueue" : "epoll", report.peak_open, report.bytes_echoed, rss_before,
                rss_after, seconds);
    std::fflush(stdout);
}
