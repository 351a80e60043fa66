// Behaviour suite, part 8: the examples leave the terminal as they found it
// (issue #7). The stage-03 example makes its stdin non-blocking; that flag
// lives on the open file description, which a terminal shares with the
// shell, so it must be put back on every way out, also on Ctrl-C.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "behaviour.hpp"
#include "metalio/sys/owned_fd.hpp"

using namespace behaviour;
using metalio::sys::OwnedFd;

extern char** environ;

namespace {

/// stage03_stdin_echo with its stdin reading from a pipe of ours (the same
/// open file description: a flag it sets is visible here), stdout discarded.
struct RunningExample {
    OwnedFd stdin_reader{-1};  ///< our handle on the example's stdin
    OwnedFd stdin_writer{-1};  ///< what we type
    pid_t pid = -1;

    RunningExample() {
        int ends[2];
        REQUIRE_MESSAGE(metalio::test::pipe(ends, false) == 0, "pipe2 failed: ", metalio::io::last_os_error());
        stdin_reader = OwnedFd(ends[0]);
        stdin_writer = OwnedFd(ends[1]);
        posix_spawn_file_actions_t actions;
        REQUIRE(::posix_spawn_file_actions_init(&actions) == 0);
        REQUIRE(::posix_spawn_file_actions_adddup2(&actions, stdin_reader.get(), STDIN_FILENO) == 0);
        REQUIRE(::posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0) == 0);
        char path[] = METALIO_EXAMPLE_STDIN_ECHO;
        char* argv[] = {path, nullptr};
        const int spawned = ::posix_spawn(&pid, path, &actions, nullptr, argv, environ);
        ::posix_spawn_file_actions_destroy(&actions);
        REQUIRE_MESSAGE(spawned == 0, "could not start ", path, ": ", std::error_code(spawned, std::system_category()));
    }
    RunningExample(const RunningExample&) = delete;
    RunningExample& operator=(const RunningExample&) = delete;
    ~RunningExample() {
        if (pid > 0) {  // a failed REQUIRE left it running
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }

    [[nodiscard]] bool stdin_nonblocking() const { return (::fcntl(stdin_reader.get(), F_GETFL) & O_NONBLOCK) != 0; }

    /// Waits until the example made its stdin non-blocking (it is running its loop).
    void wait_until_nonblocking() const {
        const auto deadline = std::chrono::steady_clock::now() + kEventWait;
        while (!stdin_nonblocking()) {
            REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                            "the example did not make its stdin non-blocking within 5 s");
            std::this_thread::sleep_for(10ms);
        }
    }

    /// The exit status.
    int wait() {
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        pid = -1;
        return status;
    }
};

}  // namespace

BEHAVIOUR("the stage-03 example gives its stdin back blocking when it ends normally") {
    RunningExample example;
    example.wait_until_nonblocking();
    REQUIRE(::write(example.stdin_writer.get(), "hello\n", 6) == 6);
    example.stdin_writer = OwnedFd(-1);  // end of input: the example ends after its three ticks
    const int status = example.wait();
    CHECK_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0), "the example did not exit normally (status ",
                  status, ")");
    CHECK_MESSAGE(!example.stdin_nonblocking(),
                  "the example ended and left its stdin O_NONBLOCK: the shell's next read would fail with EAGAIN");
}

BEHAVIOUR("the stage-03 example gives its stdin back blocking when Ctrl-C (SIGINT) ends it") {
    RunningExample example;
    example.wait_until_nonblocking();
    REQUIRE(::kill(example.pid, SIGINT) == 0);
    const int status = example.wait();
    CHECK_MESSAGE((WIFSIGNALED(status) && WTERMSIG(status) == SIGINT),
                  "SIGINT should still end the example as a signal does (status ", status, ")");
    CHECK_MESSAGE(!example.stdin_nonblocking(),
                  "SIGINT ended the example and left its stdin O_NONBLOCK: the shell's next read would fail with EAGAIN");
}
