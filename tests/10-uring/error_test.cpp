// Stage 10: where io_uring is missing, the error names the reason. The
// refusals are made with fault injection, so the test runs everywhere.
#include <cerrno>

#include "metalio/sys/fault.hpp"
#include "uring_test.hpp"

namespace fault = metalio::sys::fault;
using metalio::uring::Errc;
using metalio::uring::explain_setup_error;
using metalio::uring::Ring;

namespace {

std::error_code os(int error) { return {error, std::system_category()}; }

}  // namespace

TEST_CASE("explain_setup_error: ENOSYS and EPERM become the reason, other errors stay as they are") {
    CHECK(explain_setup_error(os(ENOSYS)) == Errc::not_supported);
    CHECK(explain_setup_error(os(EMFILE)) == os(EMFILE));
    CHECK(explain_setup_error(os(ENOMEM)) == os(ENOMEM));
    const auto refused = explain_setup_error(os(EPERM));
    CHECK((refused == Errc::disabled || refused == Errc::not_in_group || refused == Errc::blocked));
    CHECK(refused == std::errc::operation_not_permitted);
    CHECK(make_error_code(Errc::not_supported) == std::errc::function_not_supported);
    CHECK(make_error_code(Errc::kernel_too_old) == std::errc::function_not_supported);
}

TEST_CASE("uring::Errc: every message names its cause, and how to check it") {
    CHECK(make_error_code(Errc::disabled).message().find("kernel.io_uring_disabled is 2") != std::string::npos);
    CHECK(make_error_code(Errc::not_in_group).message().find("kernel.io_uring_group") != std::string::npos);
    CHECK(make_error_code(Errc::blocked).message().find("seccomp") != std::string::npos);
    CHECK(make_error_code(Errc::not_supported).message().find("older than 5.1") != std::string::npos);
    CHECK(make_error_code(Errc::kernel_too_old).message().find("5.7") != std::string::npos);
    CHECK(make_error_code(Errc::no_buffer_ring).message().find("5.19") != std::string::npos);
    CHECK(make_error_code(Errc::no_buffer_ring) == std::errc::function_not_supported);
    CHECK(std::string(metalio::uring::error_category().name()) == "io_uring");
}

#if METALIO_FAULT_INJECTION
TEST_CASE("Ring::create: a kernel without io_uring (ENOSYS) or a filter that refuses it (EPERM) gives the reason") {
    const metalio::test::FdLeakCheck no_leak;
    fault::reset();
    fault::fail_next("io_uring_setup", ENOSYS);
    auto missing = Ring::create(4);
    fault::reset();
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error() == Errc::not_supported);
    MESSAGE("what a program prints: ", missing.error().message());

    fault::fail_next("io_uring_setup", EPERM);
    auto refused = Ring::create(4);
    fault::reset();
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == std::errc::operation_not_permitted);
    CHECK(refused.error().category() == metalio::uring::error_category());
}
#endif
