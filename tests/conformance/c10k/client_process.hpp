// The client process of the C10K tests: c10k_client (plain epoll, no
// metalio) started with posix_spawn, its output collected, its exit awaited.
// Shared by c10k_test.cpp (the readiness server) and c10k_uring_test.cpp
// (the io_uring server of stage 10).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "metalio/sys/owned_fd.hpp"
#include "metalio_test.hpp"

extern char** environ;

namespace c10k {

struct ClientResult {
    bool exited_cleanly = false;
    bool timed_out = false;
    std::string output;
};

/// Starts c10k_client for @p connections connections to @p port (at most
/// @p window waiting for their greeting), collects its stdout, and waits for
/// it to exit; past @p deadline it is killed.
inline ClientResult run_client(std::uint16_t port, std::chrono::steady_clock::time_point deadline,
                               std::size_t connections, std::size_t window, std::chrono::seconds client_timeout) {
    int out[2];
    REQUIRE(metalio::test::pipe(out) == 0);
    metalio::sys::OwnedFd read_end(out[0]);
    metalio::sys::OwnedFd write_end(out[1]);
    const std::string port_text = std::to_string(port);
    const std::string count_text = std::to_string(connections);
    const std::string window_text = std::to_string(window);
    const std::string timeout_text = std::to_string(client_timeout.count());
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
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    char buffer[512];
    ssize_t got;
    while ((got = ::read(read_end.get(), buffer, sizeof buffer)) > 0) result.output.append(buffer, got);
    result.exited_cleanly = !result.timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return result;
}

}  // namespace c10k
