// Stage 01 on Windows: the wrapper's five failure conventions, the error
// category's portable answers, the owned HANDLE and SOCKET types.
#include "metalio_test.hpp"

#include <winsock2.h>
#include <windows.h>

#include "metalio/io.hpp"
#include "metalio/sys/windows/error.hpp"
#include "metalio/sys/windows/owned_handle.hpp"
#include "metalio/sys/windows/owned_socket.hpp"
#include "metalio/sys/windows/syscall.hpp"

namespace windows = metalio::sys::windows;
using windows::OwnedHandle;
using windows::OwnedSocket;

namespace {

OwnedSocket tcp_socket() {
    REQUIRE(windows::init_winsock().has_value());
    const auto made = METALIO_WINCALL(fails_with_socket_error, socket, AF_INET, SOCK_STREAM, IPPROTO_TCP);
    REQUIRE_MESSAGE(made.has_value(), metalio::test::why(made));
    return OwnedSocket(*made);
}

}  // namespace

TEST_CASE("FALSE becomes GetLastError() as a code of the windows category") {
    const auto closed = METALIO_WINCALL(fails_with_false, CloseHandle, HANDLE(reinterpret_cast<HANDLE>(0x7ffc)));
    REQUIRE_FALSE(closed.has_value());
    CHECK(closed.error().value() == ERROR_INVALID_HANDLE);
    CHECK(&closed.error().category() == &windows::error_category());
    CHECK(closed.error() == std::errc::bad_file_descriptor);
}

TEST_CASE("INVALID_HANDLE_VALUE becomes the error, and a missing file compares equal to ENOENT") {
    const auto missing = METALIO_WINCALL(fails_with_invalid_handle, CreateFileA, "C:\\no\\such\\file", GENERIC_READ,
                                         DWORD{0}, nullptr, DWORD{OPEN_EXISTING}, DWORD{0}, nullptr);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error() == std::errc::no_such_file_or_directory);
    CHECK_FALSE(missing.error().message().empty());
}

TEST_CASE("a successful call returns the function's own result, and OwnedHandle closes it") {
    const metalio::test::FdLeakCheck no_leak;
    const auto port = METALIO_WINCALL(fails_with_null, CreateIoCompletionPort, INVALID_HANDLE_VALUE, HANDLE{nullptr},
                                      ULONG_PTR{0}, DWORD{0});
    REQUIRE_MESSAGE(port.has_value(), metalio::test::why(port));
    OwnedHandle owner(*port);
    OwnedHandle moved(std::move(owner));
    CHECK(owner.get() == nullptr);
    CHECK(moved.get() == *port);
}

TEST_CASE("an empty non-blocking accept is would-block, as EAGAIN is on Unix") {
    const metalio::test::FdLeakCheck no_leak;
    const OwnedSocket listener = tcp_socket();
    u_long non_blocking = 1;
    sockaddr_in loopback{};
    loopback.sin_family = AF_INET;
    loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(METALIO_WINCALL(fails_with_socket_error, ioctlsocket, listener.get(), static_cast<long>(FIONBIO), &non_blocking));
    REQUIRE(METALIO_WINCALL(fails_with_socket_error, bind, listener.get(), reinterpret_cast<const sockaddr*>(&loopback),
                            int{sizeof loopback}));
    REQUIRE(METALIO_WINCALL(fails_with_socket_error, listen, listener.get(), 1));

    const auto accepted = METALIO_WINCALL(fails_with_socket_error, accept, listener.get(), nullptr, nullptr);
    REQUIRE_FALSE(accepted.has_value());
    CHECK(accepted.error().value() == WSAEWOULDBLOCK);
    CHECK(metalio::io::is_would_block(accepted.error()));
    CHECK_FALSE(metalio::io::is_interrupted(accepted.error()));
}

TEST_CASE("the winsock numbers an event loop asks about answer like their errno twins") {
    CHECK(metalio::io::is_interrupted(windows::error_code(WSAEINTR)));
    CHECK_FALSE(metalio::io::is_would_block(windows::error_code(WSAEINTR)));
    CHECK(windows::error_code(WSAEINPROGRESS) == std::errc::operation_in_progress);
    CHECK(windows::error_code(WSAECONNREFUSED) == std::errc::connection_refused);
    CHECK(windows::error_code(WSAECONNRESET) == std::errc::connection_reset);
    CHECK(windows::error_code(WSAEADDRINUSE) == std::errc::address_in_use);
    CHECK(windows::error_code(WSAENOTCONN) == std::errc::not_connected);
    CHECK(windows::error_code(WSAESHUTDOWN) == std::errc::broken_pipe);
    // A number without a portable meaning keeps its own, and still has a text.
    CHECK(windows::error_code(ERROR_IO_INCOMPLETE).default_error_condition().category() == windows::error_category());
    CHECK_FALSE(windows::error_code(WSAEWOULDBLOCK).message().empty());
}

TEST_CASE("an NTSTATUS becomes the Win32 error RtlNtStatusToDosError gives") {
    constexpr long kStatusInvalidHandle = static_cast<long>(0xC0000008L);
    CHECK(windows::error_from_ntstatus(kStatusInvalidHandle) == std::errc::bad_file_descriptor);
    CHECK(windows::fails_with_ntstatus::failed(kStatusInvalidHandle));
    CHECK_FALSE(windows::fails_with_ntstatus::failed(0x103));  // STATUS_PENDING: started, not failed
}

TEST_CASE("OwnedSocket closes its socket once, and a moved-from one closes nothing") {
    const metalio::test::FdLeakCheck no_leak;
    OwnedSocket first = tcp_socket();
    const SOCKET raw = first.get();
    OwnedSocket second(std::move(first));
    CHECK(first.get() == INVALID_SOCKET);
    CHECK(second.get() == raw);
    const SOCKET released = second.release();
    CHECK(second.get() == INVALID_SOCKET);
    CHECK(::closesocket(released) == 0);
}

TEST_CASE("fault injection: the named call fails once with the injected Windows error") {
    REQUIRE(metalio::sys::fault::enabled);
    const metalio::test::FdLeakCheck no_leak;
    REQUIRE(windows::init_winsock().has_value());
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_next("socket", WSAEMFILE);
    const auto failed = METALIO_WINCALL(fails_with_socket_error, socket, AF_INET, SOCK_STREAM, IPPROTO_TCP);
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error() == std::errc::too_many_files_open);
    const auto works = METALIO_WINCALL(fails_with_socket_error, socket, AF_INET, SOCK_STREAM, IPPROTO_TCP);
    REQUIRE(works.has_value());
    const OwnedSocket owner(*works);
    metalio::sys::fault::reset();
}
