// Tests of exercise 01 (make_pipe). Each message says what to change.
#include <fcntl.h>
#include <unistd.h>

#include "exercise.hpp"
#include "metalio_test.hpp"

using metalio::exercise::make_pipe;

TEST_CASE("make_pipe returns two open file descriptors") {
    const metalio::test::FdLeakCheck no_leak;
    auto ends = make_pipe();
    REQUIRE_MESSAGE(ends.has_value(), "make_pipe() returned an error instead of a pipe: ",
                    metalio::test::why(ends));
    CHECK_MESSAGE(::fcntl(ends->reader.get(), F_GETFD) != -1, "the reader is not an open file descriptor");
    CHECK_MESSAGE(::fcntl(ends->writer.get(), F_GETFD) != -1, "the writer is not an open file descriptor");
}

TEST_CASE("bytes written to the writer come out of the reader") {
    auto ends = make_pipe();
    REQUIRE_MESSAGE(ends.has_value(), "make_pipe() returned an error: ", metalio::test::why(ends));
    // A pipe's read end refuses writes with EBADF: if this fails, the ends
    // are probably swapped (pipe2 fills fds[0] with the read end).
    REQUIRE_MESSAGE(::write(ends->writer.get(), "hi", 2) == 2,
                    "writing to `writer` failed: is `writer` the pipe's read end? "
                    "pipe2 puts the read end in fds[0] and the write end in fds[1]");
    char buffer[2] = {};
    CHECK_MESSAGE(::read(ends->reader.get(), buffer, 2) == 2, "nothing came out of the reader: are the ends swapped?");
}

TEST_CASE("both ends are non-blocking") {
    auto ends = make_pipe();
    REQUIRE_MESSAGE(ends.has_value(), "make_pipe() returned an error: ", metalio::test::why(ends));
    CHECK_MESSAGE((::fcntl(ends->reader.get(), F_GETFL) & O_NONBLOCK) != 0,
                  "the read end would block an event loop: ask pipe2 for O_NONBLOCK");
    CHECK_MESSAGE((::fcntl(ends->writer.get(), F_GETFL) & O_NONBLOCK) != 0,
                  "the write end would block an event loop: ask pipe2 for O_NONBLOCK");
}

TEST_CASE("both ends are close-on-exec") {
    auto ends = make_pipe();
    REQUIRE_MESSAGE(ends.has_value(), "make_pipe() returned an error: ", metalio::test::why(ends));
    CHECK_MESSAGE((::fcntl(ends->reader.get(), F_GETFD) & FD_CLOEXEC) != 0,
                  "the read end would leak into programs this process starts: ask pipe2 for O_CLOEXEC");
    CHECK_MESSAGE((::fcntl(ends->writer.get(), F_GETFD) & FD_CLOEXEC) != 0,
                  "the write end would leak into programs this process starts: ask pipe2 for O_CLOEXEC");
}

TEST_CASE("a failing pipe2 comes back as an error, and nothing leaks") {
    const metalio::test::FdLeakCheck no_leak;
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_next("pipe2", EMFILE);
    const auto ends = make_pipe();
    const bool fault_was_used = metalio::sys::fault::calls() > 0;
    metalio::sys::fault::reset();
    CHECK_MESSAGE(fault_was_used, "pipe2 was not called through METALIO_SYSCALL, so its errors cannot be tested");
    REQUIRE_MESSAGE(!ends.has_value(), "pipe2 failed with EMFILE, but make_pipe() reported success");
    CHECK_MESSAGE(ends.error() == std::errc::too_many_files_open,
                  "make_pipe() must return pipe2's own error, got: ", metalio::test::why(ends));
}
