// Stage 09: system calls that fail on purpose (fault injection) give the
// runtime's callers clear errors and leave no descriptor behind.
#include "metalio/sys/fault.hpp"
#include "runtime_test.hpp"

#if METALIO_FAULT_INJECTION

namespace fault = metalio::sys::fault;
using metalio::net::SocketAddr;
using metalio::rt::Runtime;
using metalio::rt::Task;
using metalio::rt::TcpListener;
using metalio::rt::TcpStream;

namespace {

TEST_CASE("Runtime::create: every system call it makes may fail, each failure is reported, nothing leaks") {
    const metalio::test::FdLeakCheck no_leak;
    std::size_t failing = 0;
    for (;; ++failing) {
        CAPTURE(failing);
        fault::reset();
        fault::fail_nth(failing, EMFILE);
        auto runtime = Runtime::create();
        const bool fault_used = fault::calls() > failing;
        fault::reset();
        if (!fault_used) {
            CHECK_MESSAGE(runtime.has_value(), "create failed with no fault injected: ", metalio::test::why(runtime));
            break;
        }
        REQUIRE_MESSAGE(!runtime.has_value(), "create succeeded although system call #", failing, " failed");
        CHECK(runtime.error() == std::error_code(EMFILE, std::system_category()));
    }
    CHECK(failing >= 3);  // at least the selector, the eventfd and its registration
}

Task<std::error_code> bind_with_failing_registration() {
    fault::reset();
    fault::fail_next(METALIO_SELECTOR_POLL ? "fcntl" : METALIO_SELECTOR_KQUEUE ? "kevent" : "epoll_ctl", ENOMEM);
    auto listener = TcpListener::bind(*SocketAddr::parse("127.0.0.1:0"));
    fault::reset();
    co_return listener ? std::error_code{} : listener.error();
}

TEST_CASE("a listener whose registration fails is closed and the error returned") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    const std::error_code error = rt_test::run(runtime, bind_with_failing_registration());
    CHECK_MESSAGE(error == std::error_code(ENOMEM, std::system_category()), "got: ", error.message());
}

Task<std::vector<std::string>> accept_fails_once() {
    std::vector<std::string> notes;
    auto listener = TcpListener::bind(*SocketAddr::parse("127.0.0.1:0"));
    REQUIRE(listener);
    auto client = co_await TcpStream::connect(*listener->local_addr());
    REQUIRE(client);
    fault::reset();
    fault::fail_next("accept4", ENFILE);
    auto first = co_await listener->accept();
    fault::reset();
    notes.push_back(first ? "accepted" : first.error().message());
    auto second = co_await listener->accept();
    notes.push_back(second ? "accepted" : second.error().message());
    co_return notes;
}

TEST_CASE("a failing accept is reported to the task, and the next accept works") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    const auto notes = rt_test::run(runtime, accept_fails_once());
    CHECK(notes == std::vector<std::string>{std::error_code(ENFILE, std::system_category()).message(), "accepted"});
}

}  // namespace

#endif
