// Stage 08: the two examples, driven with nc (Debian's netcat-openbsd) the
// way chapter 08 tells a reader to try them.
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "helpers.hpp"

using namespace stage08;

namespace {

// Runs @p command through the shell and returns everything it printed.
std::string output_of(const std::string& command) {
    FILE* pipe = ::popen(command.c_str(), "re");
    REQUIRE_MESSAGE(pipe != nullptr, "could not run: ", command);
    std::string output;
    char chunk[256];
    while (std::fgets(chunk, sizeof chunk, pipe) != nullptr) output += chunk;
    const int status = ::pclose(pipe);
    CHECK_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0), command, " did not exit with 0 (is nc, "
                  "from netcat-openbsd, installed?); it printed:\n", output);
    return output;
}

// Reads the rest of a popen'd example's output and checks it exited with 0.
std::string finish(FILE* example) {
    std::string rest;
    char line[256];
    while (std::fgets(line, sizeof line, example) != nullptr) rest += line;
    const int status = ::pclose(example);
    CHECK_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0), "the example did not exit with 0:\n", rest);
    return rest;
}

}  // namespace

TEST_CASE("udp_echo sends a datagram from nc -u back to it") {
    const metalio::test::FdLeakCheck no_leak;
    // Port 0: the kernel picks one and the example prints it; 1: exit after one datagram.
    FILE* example = ::popen(METALIO_EXAMPLE_UDP_ECHO " 0 1", "re");
    REQUIRE(example != nullptr);
    char line[256] = {};
    REQUIRE_MESSAGE(std::fgets(line, sizeof line, example) != nullptr, "the example printed nothing");
    const std::string first = line;
    const auto at = first.find("nc -u 127.0.0.1 ");
    REQUIRE_MESSAGE(at != std::string::npos, "the first line should say how to reach it: ", first);
    const std::string port = first.substr(at + 16, first.find_first_not_of("0123456789", at + 16) - (at + 16));
    // -w1: nc leaves one second after the last datagram it saw.
    const std::string reply = output_of("printf 'ping\\n' | nc -u -w1 127.0.0.1 " + port);
    CHECK_MESSAGE(reply == "ping\n", "nc should print the echoed datagram, it printed: ", reply);
    const std::string rest = finish(example);
    CHECK_MESSAGE(rest.find("5 bytes from 127.0.0.1:") != std::string::npos, "the example printed:\n", rest);
}

TEST_CASE("unix_echo answers nc -N -U on a socket path and removes the file when it exits") {
    const metalio::test::FdLeakCheck no_leak;
    const TempDir dir;
    const std::string path = dir.file("echo.sock");
    FILE* example = ::popen((std::string(METALIO_EXAMPLE_UNIX_ECHO " ") + path + " 1").c_str(), "re");
    REQUIRE(example != nullptr);
    char line[512] = {};
    REQUIRE_MESSAGE(std::fgets(line, sizeof line, example) != nullptr, "the example printed nothing");
    CHECK_MESSAGE(std::string(line).find("nc -N -U " + path) != std::string::npos, "the first line should say how to reach it: ", line);
    // -N: shut the connection down for writing at the end of input, so the
    // server sees end-of-file, sends the rest back and closes.
    const std::string reply = output_of("printf 'hello\\nworld\\n' | nc -N -U " + path);
    CHECK_MESSAGE(reply == "hello\nworld\n", "nc should print the echo, it printed: ", reply);
    const std::string rest = finish(example);
    CHECK_MESSAGE(rest.find("client 1 closed") != std::string::npos, "the example printed:\n", rest);
    CHECK_MESSAGE(::access(path.c_str(), F_OK) != 0, "the socket file should be gone after the example exits");
}
