// Stage 08: posix::pipe(), Sender and Receiver.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "metalio/posix/pipe.hpp"

using metalio::Interest;
using metalio::Token;
using metalio::posix::Receiver;
using metalio::posix::Sender;
using namespace stage08;

extern char** environ;

namespace {

std::atomic<int> sigpipes{0};

}  // namespace

static_assert(!std::is_copy_constructible_v<Sender>);
static_assert(std::is_nothrow_move_constructible_v<Receiver>);

TEST_CASE("pipe(): both ends non-blocking and close-on-exec, bytes pass, an empty pipe is WouldBlock") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    auto ends = metalio::posix::pipe();
    REQUIRE_MESSAGE(ends.has_value(), why(ends));
    auto& [sender, receiver] = *ends;
    for (const int fd : {sender.as_raw_fd(), receiver.as_raw_fd()}) {
        CHECK(is_nonblocking(fd));
        CHECK(is_cloexec(fd));
    }
    REQUIRE(poll.registry().register_(receiver, Token{1}, Interest::READABLE));
    std::array<std::byte, 16> buffer{};
    const auto empty = receiver.read(buffer);
    REQUIRE_FALSE(empty.has_value());
    CHECK(metalio::io::is_would_block(empty.error()));
    REQUIRE(sender.write(std::string_view("through")) == 7u);
    REQUIRE(wait_for(poll, Token{1}).has_value());
    CHECK(receiver.read(buffer) == 7u);
    CHECK(text(std::span(buffer).first(7)) == "through");
}

TEST_CASE("a full pipe says WouldBlock, reading makes the Sender WRITABLE again") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    auto ends = metalio::posix::pipe();
    REQUIRE(ends.has_value());
    auto& [sender, receiver] = *ends;
    REQUIRE(poll.registry().register_(sender, Token{2}, Interest::WRITABLE));
    const std::vector<std::byte> chunk(4096);
    std::size_t total = 0;
    for (;;) {
        const auto written = sender.write(chunk);
        if (!written) {
            REQUIRE_MESSAGE(metalio::io::is_would_block(written.error()), why(written));
            break;
        }
        total += *written;
    }
    CHECK(total >= 4096u);
    (void)wait_for(poll, Token{2}, 50ms);
    std::vector<std::byte> sink(total);
    std::size_t drained = 0;
    while (drained < total) {
        const auto read = receiver.read(std::span(sink).subspan(drained));
        REQUIRE_MESSAGE(read.has_value(), why(read));
        drained += *read;
    }
    CHECK_MESSAGE(wait_for(poll, Token{2}).has_value(), "an emptied pipe should make the Sender writable");
}

TEST_CASE("closing the Sender is end-of-file for the Receiver (read-closed event, then read 0)") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    auto ends = metalio::posix::pipe();
    REQUIRE(ends.has_value());
    Receiver receiver = std::move(ends->second);
    REQUIRE(poll.registry().register_(receiver, Token{1}, Interest::READABLE));
    { const Sender gone = std::move(ends->first); }
    const auto event = wait_for(poll, Token{1});
    REQUIRE(event.has_value());
    CHECK(event->is_read_closed());
    std::array<std::byte, 4> buffer{};
    CHECK(receiver.read(buffer) == 0u);
}

TEST_CASE("writing after the Receiver closed is EPIPE and no SIGPIPE reaches the process") {
    const metalio::test::FdLeakCheck no_leak;
    struct sigaction counting{};
    counting.sa_handler = [](int) { sigpipes.fetch_add(1); };
    sigemptyset(&counting.sa_mask);
    struct sigaction previous{};
    ::sigaction(SIGPIPE, &counting, &previous);
    sigpipes = 0;

    auto ends = metalio::posix::pipe();
    REQUIRE(ends.has_value());
    Sender sender = std::move(ends->first);
    { const Receiver gone = std::move(ends->second); }
    const auto written = sender.write(std::string_view("nobody"));
    const std::array<iovec, 1> buffers{iovec{const_cast<char*>("v"), 1}};
    const auto vectored = sender.write_vectored(buffers);
    ::sigaction(SIGPIPE, &previous, nullptr);
    REQUIRE_FALSE(written.has_value());
    CHECK(written.error() == std::errc::broken_pipe);
    REQUIRE_FALSE(vectored.has_value());
    CHECK(vectored.error() == std::errc::broken_pipe);
    CHECK_MESSAGE(sigpipes.load() == 0, "a SIGPIPE got through to the process");
}

TEST_CASE("from_fd adopts a child process's stdout: non-blocking, close-on-exec, readable to end-of-file") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    int fds[2];
    REQUIRE(::pipe(fds) == 0);  // a plain, blocking pipe, as a process-spawning API makes
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    ::posix_spawn_file_actions_addclose(&actions, fds[0]);
    ::posix_spawn_file_actions_addclose(&actions, fds[1]);
    pid_t child = 0;
    char echo[] = "/bin/echo";
    char word[] = "from-the-child";
    char* argv[] = {echo, word, nullptr};
    const int spawned = ::posix_spawn(&child, "/bin/echo", &actions, nullptr, argv, environ);
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    REQUIRE(spawned == 0);

    auto receiver = Receiver::from_fd(metalio::sys::OwnedFd(fds[0]));
    REQUIRE_MESSAGE(receiver.has_value(), why(receiver));
    CHECK(is_nonblocking(receiver->as_raw_fd()));
    CHECK(is_cloexec(receiver->as_raw_fd()));
    REQUIRE(poll.registry().register_(*receiver, Token{1}, Interest::READABLE));
    std::string output;
    std::array<std::byte, 64> buffer{};
    for (int attempt = 0; attempt < 100; ++attempt) {
        const auto read = receiver->read(buffer);
        if (read && *read == 0) break;
        if (read) {
            output += text(std::span(buffer).first(*read));
            continue;
        }
        REQUIRE_MESSAGE(metalio::io::is_would_block(read.error()), why(read));
        (void)wait_for(poll, Token{1}, 1s);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(output == "from-the-child\n");
}

TEST_CASE("Sender::from_fd on a closed descriptor is EBADF, cleanly") {
    const metalio::test::FdLeakCheck no_leak;
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    ::close(fds[0]);
    ::close(fds[1]);
    const auto sender = Sender::from_fd(metalio::sys::OwnedFd(fds[1]));
    REQUIRE_FALSE(sender.has_value());
    CHECK(sender.error() == std::errc::bad_file_descriptor);
}

TEST_CASE("set_nonblocking(false) and back switches O_NONBLOCK") {
    const metalio::test::FdLeakCheck no_leak;
    auto ends = metalio::posix::pipe();
    REQUIRE(ends.has_value());
    REQUIRE(ends->second.set_nonblocking(false));
    CHECK_FALSE(is_nonblocking(ends->second.as_raw_fd()));
    REQUIRE(ends->second.set_nonblocking(true));
    CHECK(is_nonblocking(ends->second.as_raw_fd()));
    REQUIRE(ends->first.set_nonblocking(true));
    CHECK(is_nonblocking(ends->first.as_raw_fd()));
}
