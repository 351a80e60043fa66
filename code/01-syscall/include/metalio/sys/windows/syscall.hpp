/// @file
/// The Windows form of metalio::sys::syscall (Windows only).
#pragma once

#include <winsock2.h>
#include <windows.h>

#include <functional>
#include <string_view>
#include <type_traits>

#include "metalio/io.hpp"
#include "metalio/sys/fault.hpp"
#include "metalio/sys/windows/error.hpp"

namespace metalio::sys::windows {

// [conventions]
/// Win32 calls that return a `BOOL`: `FALSE` means failure, GetLastError() says why.
struct fails_with_false {
    /// True if @p result reports a failure.
    static bool failed(BOOL result) noexcept { return result == FALSE; }
    /// The reason, read right after the call.
    static std::error_code error(BOOL) noexcept { return last_error(); }
};

/// Win32 calls that return a `HANDLE` and `NULL` on failure (CreateIoCompletionPort).
struct fails_with_null {
    /// True if @p result reports a failure.
    static bool failed(HANDLE result) noexcept { return result == nullptr; }
    /// The reason, read right after the call.
    static std::error_code error(HANDLE) noexcept { return last_error(); }
};

/// Win32 calls that return a `HANDLE` and `INVALID_HANDLE_VALUE` on failure (CreateFile).
struct fails_with_invalid_handle {
    /// True if @p result reports a failure.
    static bool failed(HANDLE result) noexcept { return result == INVALID_HANDLE_VALUE; }
    /// The reason, read right after the call.
    static std::error_code error(HANDLE) noexcept { return last_error(); }
};

/// Winsock calls: `SOCKET_ERROR` (an `int` -1) or `INVALID_SOCKET` (a `SOCKET`
/// of all one bits) means failure, WSAGetLastError() says why.
struct fails_with_socket_error {
    /// True if @p result reports a failure.
    static bool failed(int result) noexcept { return result == SOCKET_ERROR; }
    /// True if @p result reports a failure.
    static bool failed(SOCKET result) noexcept { return result == INVALID_SOCKET; }
    /// The reason, read right after the call.
    template <class R>
    static std::error_code error(R) noexcept {
        return last_socket_error();
    }
};

/// ntdll calls: a negative NTSTATUS means failure (STATUS_PENDING, 0x103, is
/// a success: "started, completes later"); the status itself says why.
struct fails_with_ntstatus {
    /// True if @p result reports a failure (NT_ERROR or NT_WARNING).
    static bool failed(LONG result) noexcept { return result < 0; }
    /// The status as a Win32 error.
    static std::error_code error(LONG result) noexcept { return error_from_ntstatus(result); }
};

/// Calls that return their error number themselves and 0 on success
/// (WSAStartup, which cannot use WSAGetLastError before winsock is started).
struct returns_error_number {
    /// True if @p result reports a failure.
    static bool failed(int result) noexcept { return result != 0; }
    /// The result is the reason.
    static std::error_code error(int result) noexcept { return error_code(static_cast<unsigned long>(result)); }
};
// [conventions]

// [syscall]
/// Calls the Windows function @p fn with @p args and turns its failure
/// convention @p Convention (one of the six above) into an io::Result.
///
/// Unix has one convention ("-1 and errno") and metalio::sys::syscall is
/// enough; Windows has six, so the convention is a template argument. The
/// error is a code of error_category(), whose portable meaning makes
/// io::is_would_block() and friends work unchanged. @p name is only used by
/// fault injection: an injected number is taken as a Windows error number
/// (e.g. `WSAEADDRINUSE`). Introduced in chapter 01 (syscall).
template <class Convention, class Fn, class... Args>
auto syscall([[maybe_unused]] std::string_view name, Fn fn, Args... args) noexcept
    -> io::Result<std::invoke_result_t<Fn, Args...>> {
#if METALIO_FAULT_INJECTION
    if (const auto injected = fault::check(name)) [[unlikely]] {
        return std::unexpected(error_code(static_cast<unsigned long>(*injected)));
    }
#endif
    const auto result = std::invoke(fn, args...);
    if (Convention::failed(result)) return std::unexpected(Convention::error(result));
    return result;
}
// [syscall]

}  // namespace metalio::sys::windows

// [macro]
/// `METALIO_WINCALL(fails_with_socket_error, bind, s, addr, length)` calls
/// winsock's `bind` through metalio::sys::windows::syscall with the failure
/// convention named first and the function's own name for fault injection.
#define METALIO_WINCALL(convention, fn, ...) \
    ::metalio::sys::windows::syscall<::metalio::sys::windows::convention>(#fn, ::fn __VA_OPT__(, ) __VA_ARGS__)
// [macro]
