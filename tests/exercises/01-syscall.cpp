// Tests of exercise 01 (make_pipe_fallback, make_pipe). Each message says
// what to change.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "exercise.hpp"
#include "metalio_test.hpp"

using metalio::exercise::make_pipe;
using metalio::exercise::make_pipe_fallback;
using metalio::exercise::PipeEnds;
namespace fault = metalio::sys::fault;

namespace {

// The checks every pipe must pass, whichever way it was made.
void check_pipe(const PipeEnds& ends, const std::string& how) {
    INFO("the pipe made by ", how);
    REQUIRE_MESSAGE(::fcntl(ends.reader.get(), F_GETFD) != -1, "the reader is not an open file descriptor");
    REQUIRE_MESSAGE(::fcntl(ends.writer.get(), F_GETFD) != -1, "the writer is not an open file descriptor");
    REQUIRE_MESSAGE(::write(ends.writer.get(), "hi", 2) == 2,
                    "writing to `writer` failed: pipe() puts the read end in fds[0] and the write end in fds[1]");
    char buffer[2] = {};
    CHECK_MESSAGE(::read(ends.reader.get(), buffer, 2) == 2, "what was written did not come out of `reader`");
    for (const int fd : {ends.reader.get(), ends.writer.get()}) {
        const std::string end = fd == ends.reader.get() ? "the read end" : "the write end";
        CHECK_MESSAGE((::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0, end,
                      " blocks: O_NONBLOCK is a file *status* flag (F_GETFL / F_SETFL)");
        CHECK_MESSAGE((::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, end,
                      " would leak into programs this process starts: FD_CLOEXEC is a file *descriptor* flag "
                      "(F_GETFD / F_SETFD); F_SETFL silently ignores it");
    }
}

}  // namespace

TEST_CASE("make_pipe_fallback: a working pipe, non-blocking and close-on-exec") {
    const metalio::test::FdLeakCheck no_leak;
    fault::reset();
    auto ends = make_pipe_fallback();
    const auto calls = fault::calls();
    fault::reset();
    REQUIRE_MESSAGE(ends.has_value(), "make_pipe_fallback() returned an error: ", metalio::test::why(ends));
    check_pipe(*ends, "make_pipe_fallback()");
    // pipe, and at least one fcntl per flag per end.
    CHECK_MESSAGE(calls >= 5, "only ", calls, " system calls went through METALIO_SYSCALL: make pipe() and every "
                  "fcntl() through it, so that their errors come back as io::Result (and can be tested here)");
}

TEST_CASE("make_pipe_fallback: whichever call fails, its own error comes back and nothing leaks") {
    // Fails the first, second, third ... wrapped call in turn, each with an
    // errno of its own, until a run makes no call that can be failed.
    const int errors[] = {EMFILE, ENFILE, EBADF, EINVAL, EIO, EPERM, EACCES, ENOMEM, EFAULT, EAGAIN, EROFS, EXDEV};
    std::size_t failed_runs = 0;
    for (std::size_t n = 0; n < std::size(errors); ++n) {
        const auto open_before = metalio::test::open_fd_count();
        fault::reset();
        fault::fail_nth(n, errors[n]);
        auto ends = make_pipe_fallback();
        const std::string fired(fault::fired());
        fault::reset();
        if (fired.empty()) {
            REQUIRE_MESSAGE(ends.has_value(), "with no failure injected, make_pipe_fallback() returned an error: ",
                            metalio::test::why(ends));
            break;
        }
        INFO("call number ", n + 1, " (", fired, ") was made to fail with ",
             std::make_error_code(static_cast<std::errc>(errors[n])).message());
        REQUIRE_MESSAGE(!ends.has_value(), "a system call failed, but make_pipe_fallback() reported success: "
                        "check the result of every call");
        CHECK_MESSAGE(ends.error().value() == errors[n],
                      "make_pipe_fallback() must return the failing call's own error, not another one; got: ",
                      metalio::test::why(ends));
        CHECK_MESSAGE(metalio::test::open_fd_count() == open_before,
                      "make_pipe_fallback() failed but left descriptors open: own both ends in sys::OwnedFd "
                      "right after pipe(), before the first fcntl, so that every return closes them");
        ++failed_runs;
    }
    CHECK_MESSAGE(failed_runs >= 5, "only ", failed_runs, " calls could be failed: make pipe() and every fcntl() "
                  "through METALIO_SYSCALL");
}

TEST_CASE("make_pipe: pipe2 does the whole job when it exists") {
    const metalio::test::FdLeakCheck no_leak;
    fault::reset();
    auto ends = make_pipe();
    const auto calls = fault::calls();
    fault::reset();
    REQUIRE_MESSAGE(ends.has_value(), "make_pipe() returned an error: ", metalio::test::why(ends));
    check_pipe(*ends, "make_pipe()");
    CHECK_MESSAGE(calls == 1, "make_pipe() made ", calls, " wrapped system calls where pipe2 alone does it: "
                  "call pipe2 through METALIO_SYSCALL, with both flags, and nothing else when it succeeds");
}

TEST_CASE("make_pipe: a system without pipe2 (ENOSYS) gets the fallback") {
    const metalio::test::FdLeakCheck no_leak;
    fault::reset();
    fault::fail_next("pipe2", ENOSYS);
    auto ends = make_pipe();
    const std::string fired(fault::fired());
    fault::reset();
    CHECK_MESSAGE(fired == "pipe2", "pipe2 was not called through METALIO_SYSCALL");
    REQUIRE_MESSAGE(ends.has_value(), "pipe2 failed with ENOSYS (no such call here): make_pipe() must then "
                    "use make_pipe_fallback(), but it returned: ", metalio::test::why(ends));
    check_pipe(*ends, "make_pipe() after ENOSYS");
}

TEST_CASE("make_pipe: any other failure of pipe2 is returned as it is") {
    const metalio::test::FdLeakCheck no_leak;
    fault::reset();
    fault::fail_next("pipe2", EMFILE);
    const auto ends = make_pipe();
    const auto calls = fault::calls();
    fault::reset();
    REQUIRE_MESSAGE(!ends.has_value(), "pipe2 failed with EMFILE (too many open files), but make_pipe() "
                    "reported success: only ENOSYS means \"try the other way\"");
    CHECK_MESSAGE(ends.error() == std::errc::too_many_files_open,
                  "make_pipe() must return pipe2's own error, got: ", metalio::test::why(ends));
    CHECK_MESSAGE(calls == 1, "after pipe2 failed with EMFILE, make_pipe() made ", calls - 1,
                  " more system calls: only ENOSYS means \"try the other way\"");
}
