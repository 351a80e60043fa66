// Stage 01: the syscall wrapper, io::Result and the error helpers.
#include "metalio_test.hpp"
#include <fcntl.h>
#include <unistd.h>

#include "metalio/io.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/sys/syscall.hpp"

using metalio::sys::OwnedFd;

TEST_CASE("a successful call returns the function's own result") {
    const metalio::test::FdLeakCheck no_leak;
    const auto fd = METALIO_SYSCALL(open, "/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(fd.has_value());
    CHECK(*fd >= 0);
    const OwnedFd owner(*fd);
}

TEST_CASE("-1 becomes the errno as a std::error_code in the system category") {
    const auto fd = METALIO_SYSCALL(open, "/no/such/file", O_RDONLY | O_CLOEXEC);
    REQUIRE_FALSE(fd.has_value());
    CHECK(fd.error() == std::errc::no_such_file_or_directory);
    CHECK(fd.error().value() == ENOENT);
    CHECK(&fd.error().category() == &std::system_category());
}

TEST_CASE("ssize_t results pass through, and an empty non-blocking read is would-block") {
    const metalio::test::FdLeakCheck no_leak;
    int ends[2];
    REQUIRE(METALIO_SYSCALL(pipe, ends).has_value());  // pipe(2): every Unix has it
    const OwnedFd reader(ends[0]), writer(ends[1]);
    REQUIRE(metalio::test::set_test_flags(reader.get(), true) >= 0);

    char byte = 0;
    const auto empty = METALIO_SYSCALL(read, reader.get(), &byte, 1);
    REQUIRE_FALSE(empty.has_value());
    CHECK(metalio::io::is_would_block(empty.error()));
    CHECK_FALSE(metalio::io::is_interrupted(empty.error()));

    const metalio::io::Result<ssize_t> written = METALIO_SYSCALL(write, writer.get(), "ab", 2);
    CHECK(written == 2);
}

TEST_CASE("is_interrupted recognises EINTR and nothing else") {
    CHECK(metalio::io::is_interrupted(std::error_code(EINTR, std::system_category())));
    CHECK_FALSE(metalio::io::is_interrupted(std::error_code(EAGAIN, std::system_category())));
    CHECK_FALSE(metalio::io::is_would_block(std::error_code(EINTR, std::system_category())));
}

TEST_CASE("is_would_block and is_interrupted: system codes by number, other categories by condition") {
    // The fast path: errno values in the system category.
    CHECK(metalio::io::is_would_block(std::error_code(EAGAIN, std::system_category())));
    CHECK(metalio::io::is_would_block(std::error_code(EWOULDBLOCK, std::system_category())));
    // The general path: the same conditions from the generic category.
    CHECK(metalio::io::is_would_block(std::make_error_code(std::errc::resource_unavailable_try_again)));
    CHECK(metalio::io::is_would_block(std::make_error_code(std::errc::operation_would_block)));
    CHECK(metalio::io::is_interrupted(std::make_error_code(std::errc::interrupted)));
    CHECK_FALSE(metalio::io::is_interrupted(std::make_error_code(std::errc::resource_unavailable_try_again)));
    // The number alone is not enough: Errc::not_registered is 4, like EINTR.
    static_assert(static_cast<int>(metalio::Errc::not_registered) == EINTR);
    CHECK_FALSE(metalio::io::is_interrupted(make_error_code(metalio::Errc::not_registered)));
}

TEST_CASE("fault injection: the named call fails once, without being made") {
    REQUIRE(metalio::sys::fault::enabled);
    const metalio::test::FdLeakCheck no_leak;
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_next("pipe", EMFILE);

    int ends[2] = {-1, -1};
    const auto failed = METALIO_SYSCALL(pipe, ends);
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error() == std::errc::too_many_files_open);
    CHECK(ends[0] == -1);  // the real pipe never ran: nothing to close

    const auto next = METALIO_SYSCALL(pipe, ends);
    REQUIRE(next.has_value());  // disarmed after one failure
    const OwnedFd reader(ends[0]), writer(ends[1]);
    CHECK(metalio::sys::fault::calls() == 2);
}

TEST_CASE("fault injection: other names pass, skip lets calls through, fail_nth counts every call") {
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_next("close_range", EPERM, 1);
    CHECK(METALIO_SYSCALL(getpid).value_or(0) > 0);  // another name: untouched

    metalio::sys::fault::reset();
    metalio::sys::fault::fail_nth(2, EIO);
    CHECK(METALIO_SYSCALL(getpid).has_value());
    CHECK(METALIO_SYSCALL(getppid).has_value());
    const auto third = METALIO_SYSCALL(getpid);
    REQUIRE_FALSE(third.has_value());
    CHECK(third.error().value() == EIO);
    CHECK(METALIO_SYSCALL(getpid).has_value());
    metalio::sys::fault::reset();
    CHECK(metalio::sys::fault::calls() == 0);
}

TEST_CASE("metalio's own errors have clear messages and compare equal to the portable condition") {
    using metalio::Errc;
    const std::error_code twice = metalio::make_error_code(Errc::already_registered);
    CHECK(twice == std::errc::file_exists);
    CHECK(twice.message().find("already registered") != std::string::npos);
    CHECK(std::string(twice.category().name()) == "metalio");
    CHECK(std::error_code(Errc::not_registered) == std::errc::no_such_file_or_directory);
    CHECK(std::error_code(Errc::zero_capacity_events) == std::errc::invalid_argument);
    CHECK(std::error_code(Errc::waker_exists).message().find("Waker") != std::string::npos);
}

TEST_CASE("OwnedFd closes exactly once and moves ownership") {
    const metalio::test::FdLeakCheck no_leak;
    int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    {
        OwnedFd first(fd);
        OwnedFd second(std::move(first));
        CHECK(first.get() == -1);  // NOLINT(bugprone-use-after-move): checking the moved-from state
        CHECK(second.get() == fd);
        OwnedFd third(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        third = std::move(second);  // closes third's own fd, takes fd
        CHECK(third.get() == fd);
    }
    CHECK(::fcntl(fd, F_GETFD) == -1);  // closed at the end of the scope

    OwnedFd kept(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    const int raw = kept.release();
    CHECK(kept.get() == -1);
    CHECK(::fcntl(raw, F_GETFD) != -1);  // release() did not close it
    ::close(raw);
}
