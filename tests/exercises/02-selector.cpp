// Tests of exercise 02 (gather: many pipes, one selector). Each message says
// what to change. They run on whichever selector the build has.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "exercise.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio_test.hpp"

using namespace std::chrono_literals;
using metalio::exercise::gather;
using metalio::sys::OwnedFd;
namespace fault = metalio::sys::fault;

namespace {

// The test's pipes: non-blocking read ends (for gather), blocking write
// ends (for the test's writers).
struct Pipes {
    std::vector<OwnedFd> readers;
    std::vector<OwnedFd> writers;
    std::vector<int> read_fds;

    explicit Pipes(std::size_t count) {
        for (std::size_t i = 0; i < count; ++i) {
            int ends[2];
            REQUIRE(::pipe(ends) == 0);  // pipe(2): macOS has no pipe2, and this test starts no program
            readers.emplace_back(ends[0]);
            writers.emplace_back(ends[1]);
            REQUIRE(::fcntl(ends[0], F_SETFL, O_NONBLOCK) == 0);
            read_fds.push_back(ends[0]);
        }
    }
};

std::string message(std::size_t pipe, std::size_t size) {
    std::string text;
    while (text.size() < size) text += "pipe " + std::to_string(pipe) + " says " + std::to_string(text.size()) + "; ";
    text.resize(size);
    return text;
}

bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const auto put = ::write(fd, data.data() + done, data.size() - done);
        if (put < 0 && errno == EINTR) continue;
        if (put < 0) return false;  // EPIPE once the test closed the reader
        done += static_cast<std::size_t>(put);
    }
    return true;
}

// SIGPIPE ignored while a test runs, so a writer whose reader is gone gets
// EPIPE instead of ending the process.
struct IgnoreSigpipe {
    struct sigaction before {};
    IgnoreSigpipe() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        ::sigaction(SIGPIPE, &ignore, &before);
    }
    ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &before, nullptr); }
};

}  // namespace

TEST_CASE("no pipes: nothing to wait for") {
    const auto got = gather({}, 10s);
    REQUIRE_MESSAGE(got.has_value(), "gather() of no pipes failed: ", metalio::test::why(got));
    CHECK(got->empty());
}

TEST_CASE("each pipe's bytes come back in its own place") {
    const metalio::test::FdLeakCheck no_leak;
    Pipes pipes(3);
    const std::string said[] = {"first pipe", "", "third pipe, a little longer"};
    for (std::size_t i = 0; i < 3; ++i) {
        REQUIRE(write_all(pipes.writers[i].get(), said[i]));
        pipes.writers[i] = OwnedFd(-1);  // written and closed before gather() looks
    }
    const auto got = gather(pipes.read_fds, 2s);
    REQUIRE_MESSAGE(got.has_value(), "gather() failed: ", metalio::test::why(got));
    REQUIRE_MESSAGE(got->size() == 3, "gather() must return one string per reader, in the order of `readers`");
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK_MESSAGE((*got)[i] == said[i], "pipe ", i, " said \"", said[i], "\" and closed; gather() returned \"",
                      (*got)[i], "\" for it. A close can be reported in the same event as the data before it "
                      "(read-closed *and* readable): read until the read of 0 bytes, then the pipe is finished");
    }
}

TEST_CASE("a full pipe written before gather() starts: read to WouldBlock on one event") {
    const metalio::test::FdLeakCheck no_leak;
    Pipes pipes(4);
    std::vector<std::string> said;
    for (std::size_t i = 0; i < 4; ++i) {
        said.push_back(message(i, 60 * 1024));  // fits in a pipe (64 KiB): one edge, no more
        REQUIRE(write_all(pipes.writers[i].get(), said.back()));
        pipes.writers[i] = OwnedFd(-1);
    }
    const auto got = gather(pipes.read_fds, 2s);
    REQUIRE_MESSAGE(got.has_value(), "gather() failed (", metalio::test::why(got),
                    "): each pipe held 60 KiB when gather() started, and the selector is edge-triggered: "
                    "it reports that once, so read until WouldBlock (or 0 bytes) on every event");
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK_MESSAGE((*got)[i].size() == said[i].size(), "pipe ", i, ": ", (*got)[i].size(), " bytes of ",
                      said[i].size());
    }
}

TEST_CASE("writers that take their time: nothing is lost, nothing is cut short") {
    const metalio::test::FdLeakCheck no_leak;
    const IgnoreSigpipe no_sigpipe;
    constexpr std::size_t kPipes = 6;
    Pipes pipes(kPipes);
    std::vector<std::string> said;
    for (std::size_t i = 0; i < kPipes; ++i) said.push_back(message(i, 200 * 1024));  // > a pipe's 64 KiB
    std::vector<std::thread> writers;
    for (std::size_t i = 0; i < kPipes; ++i) {
        writers.emplace_back([&, i] {
            // In pieces of 1 KiB, with pauses: many short reads, many edges.
            for (std::size_t at = 0; at < said[i].size(); at += 1024) {
                if (!write_all(pipes.writers[i].get(), said[i].substr(at, 1024))) return;
                if (at % (32 * 1024) == 0) std::this_thread::sleep_for(1ms);
            }
            pipes.writers[i] = OwnedFd(-1);
        });
    }
    const auto got = gather(pipes.read_fds, 3s);
    pipes.readers.clear();  // a writer still blocked gets EPIPE and ends
    for (auto& writer : writers) writer.join();
    REQUIRE_MESSAGE(got.has_value(), "gather() failed: ", metalio::test::why(got));
    for (std::size_t i = 0; i < kPipes; ++i) {
        CHECK_MESSAGE((*got)[i].size() == said[i].size(), "pipe ", i, ": gather() returned ", (*got)[i].size(),
                      " of the ", said[i].size(), " bytes written: a pipe is finished only at a read of 0 bytes; "
                      "a short read only means \"nothing more for now\"");
        CHECK_MESSAGE((*got)[i] == said[i].substr(0, (*got)[i].size()), "pipe ", i, ": the bytes are out of order");
    }
}

TEST_CASE("a signal that interrupts select() is not an error") {
    const metalio::test::FdLeakCheck no_leak;
    Pipes pipes(1);
    REQUIRE(write_all(pipes.writers[0].get(), "after the signal"));
    pipes.writers[0] = OwnedFd(-1);
    fault::reset();
#if METALIO_SELECTOR_POLL
    fault::fail_next("poll", EINTR);
#elif METALIO_SELECTOR_KQUEUE
    fault::fail_next("kevent", EINTR);
#else
    fault::fail_next("epoll_wait", EINTR);
#endif
    const auto got = gather(pipes.read_fds, 2s);
    const std::string fired(fault::fired());
    fault::reset();
    CHECK_MESSAGE(!fired.empty(), "the injected EINTR never fired: did gather() call the selector's select()?");
    REQUIRE_MESSAGE(got.has_value(), "select() was interrupted by a signal (EINTR) and gather() failed with ",
                    metalio::test::why(got), ": select again");
    CHECK((*got)[0] == "after the signal");
}

TEST_CASE("a writer that never closes: timed_out after the idle timeout, not a hang") {
    const metalio::test::FdLeakCheck no_leak;
    Pipes pipes(2);
    REQUIRE(write_all(pipes.writers[0].get(), "done"));
    pipes.writers[0] = OwnedFd(-1);  // pipe 1's writer stays open and silent
    const auto started = std::chrono::steady_clock::now();
    const auto got = gather(pipes.read_fds, 100ms);
    const auto waited = std::chrono::steady_clock::now() - started;
    REQUIRE_MESSAGE(!got.has_value(), "gather() returned although pipe 1's writer never closed");
    CHECK_MESSAGE(got.error() == std::errc::timed_out, "with no event for idle_timeout, return "
                  "std::errc::timed_out; got: ", metalio::test::why(got));
    CHECK_MESSAGE(waited >= 100ms, "gave up before idle_timeout had passed: pass it to select()");
}

TEST_CASE("a bad descriptor is an error, not a hang") {
    const metalio::test::FdLeakCheck no_leak;
    Pipes pipes(1);
    // -1 rather than a number just closed: the selector's own fds (the
    // poll(2) selector has one) could take that number again.
    const int readers[] = {pipes.read_fds[0], -1};
    const auto got = gather(readers, 2s);
    REQUIRE_MESSAGE(!got.has_value(), "gather() was given the fd -1 and reported success");
    CHECK_MESSAGE(got.error() != std::errc::timed_out, "a bad fd must be reported as the error the selector "
                  "gives when it is registered (EBADF), not waited for");
}
