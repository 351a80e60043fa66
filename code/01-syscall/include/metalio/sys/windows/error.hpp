/// @file
/// Windows error numbers as `std::error_code`s that answer the same
/// questions as an errno (Windows only).
#pragma once

#include <winsock2.h>
#include <windows.h>

#include <system_error>

namespace metalio::sys::windows {

// [error]
/// The category of Win32 and winsock error numbers ("windows").
///
/// Windows reports failures in three vocabularies: Win32 errors from
/// GetLastError() (`ERROR_INVALID_HANDLE`), winsock errors from
/// WSAGetLastError() (`WSAEWOULDBLOCK`), and the NTSTATUS values of ntdll,
/// which error_from_ntstatus() turns into Win32 errors first. The category's
/// default_error_condition() maps the numbers an event loop asks about to the
/// portable `std::errc`, so io::is_would_block() and io::is_interrupted() give
/// the same answers as on Unix: `WSAEWOULDBLOCK` compares equal to
/// `std::errc::operation_would_block` just as `EAGAIN` does. (libstdc++'s own
/// `std::system_category()` on mingw-w64 maps some Win32 errors but no
/// winsock ones, and Wine has no message text for most winsock numbers, so
/// metalio keeps its own table.) Introduced in chapter 01 (syscall).
const std::error_category& error_category() noexcept;

/// A Win32 or winsock error number as an error code of error_category().
inline std::error_code error_code(unsigned long code) noexcept {
    return {static_cast<int>(code), error_category()};
}

/// The calling thread's GetLastError(): how Win32 calls report failure.
inline std::error_code last_error() noexcept { return error_code(::GetLastError()); }

/// The calling thread's WSAGetLastError(): how winsock calls report failure.
inline std::error_code last_socket_error() noexcept {
    return error_code(static_cast<unsigned long>(::WSAGetLastError()));
}

/// An NTSTATUS (the result of an ntdll call, or the Status of an
/// IO_STATUS_BLOCK) as the Win32 error RtlNtStatusToDosError() gives for it.
std::error_code error_from_ntstatus(long status) noexcept;
// [error]

}  // namespace metalio::sys::windows
