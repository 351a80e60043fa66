// Stage 09: system calls that fail on purpose (fault injection) give the
// runtime's callers clear errors and leave no descriptor behind.
#include "metalio/sys/fault.hpp"
#include "runtime_test.hpp"
#if defined(_WIN32)
#include <winsock2.h>
#include <windows.h>

#include "metalio/sys/windows/error.hpp"
#else
#include "metalio/sys/unix/portable/socket.hpp"
#endif

#if METALIO_FAULT_INJECTION

namespace fault = metalio::sys::fault;
using metalio::net::SocketAddr;
using metalio::rt::Runtime;
using metalio::rt::Task;
using metalio::rt::TcpListener;
using metalio::rt::TcpStream;

namespace {

// The calls to fail and the numbers to fail them with: what the system would
// really say in that place (an errno on Unix, a Windows error number there).
#if defined(_WIN32)
constexpr int kNoFds = WSAEMFILE;                   // creating a port or a socket
constexpr int kNoMemory = ERROR_NOT_ENOUGH_MEMORY;  // registering
constexpr int kAcceptError = WSAENOBUFS;             // accepting: out of buffer space
// Registering a socket with the IOCP selector first asks for its base socket.
constexpr const char* kRegisterCall = "WSAIoctl";
constexpr const char* kAcceptCall = "accept";
// The completion port; the Waker is a completion packet and makes no handle.
constexpr std::size_t kCreateCalls = 1;
#else
constexpr int kNoFds = EMFILE;
constexpr int kNoMemory = ENOMEM;
constexpr int kAcceptError = ENFILE;  // accepting: the system is out of files
constexpr const char* kRegisterCall = METALIO_SELECTOR_POLL ? "fcntl" : METALIO_SELECTOR_KQUEUE ? "kevent" : "epoll_ctl";
// accept4, or accept where the system has none (sys/unix/portable/socket.hpp).
const char* const kAcceptCall = metalio::sys::portable::accept_call();
// The selector, the Waker's eventfd and its registration.
constexpr std::size_t kCreateCalls = 3;
#endif

// The error an injected number comes back as (the Windows wrappers make
// their own category's codes, whose meaning is portable).
std::error_code injected(int error) {
#if defined(_WIN32)
    return metalio::sys::windows::error_code(static_cast<unsigned long>(error));
#else
    return {error, std::system_category()};
#endif
}

TEST_CASE("Runtime::create: every system call it makes may fail, each failure is reported, nothing leaks") {
    const metalio::test::FdLeakCheck no_leak;
    std::size_t failing = 0;
    for (;; ++failing) {
        CAPTURE(failing);
        fault::reset();
        fault::fail_nth(failing, kNoFds);
        auto runtime = Runtime::create();
        const bool fault_used = fault::calls() > failing;
        fault::reset();
        if (!fault_used) {
            CHECK_MESSAGE(runtime.has_value(), "create failed with no fault injected: ", metalio::test::why(runtime));
            break;
        }
        REQUIRE_MESSAGE(!runtime.has_value(), "create succeeded although system call #", failing, " failed");
        CHECK(runtime.error() == injected(kNoFds));
    }
    CHECK(failing >= kCreateCalls);
}

Task<std::error_code> bind_with_failing_registration() {
    fault::reset();
    fault::fail_next(kRegisterCall, kNoMemory);
    auto listener = TcpListener::bind(*SocketAddr::parse("127.0.0.1:0"));
    fault::reset();
    co_return listener ? std::error_code{} : listener.error();
}

TEST_CASE("a listener whose registration fails is closed and the error returned") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    const std::error_code error = rt_test::run(runtime, bind_with_failing_registration());
    CHECK_MESSAGE(error == injected(kNoMemory), "got: ", error.message());
}

Task<std::vector<std::string>> accept_fails_once() {
    std::vector<std::string> notes;
    auto listener = TcpListener::bind(*SocketAddr::parse("127.0.0.1:0"));
    REQUIRE(listener);
    auto client = co_await TcpStream::connect(*listener->local_addr());
    REQUIRE(client);
    fault::reset();
    fault::fail_next(kAcceptCall, kAcceptError);
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
    CHECK(notes == std::vector<std::string>{injected(kAcceptError).message(), "accepted"});
}

}  // namespace

#endif
