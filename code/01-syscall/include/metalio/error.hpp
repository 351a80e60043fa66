/// @file
/// metalio's own error codes: the mistakes a caller can make that the kernel
/// would report with a vague errno (or not at all).
#pragma once

#include <string>
#include <system_error>

namespace metalio {

// [errc]
/// Errors that metalio reports itself, in addition to the operating system's.
///
/// Each value compares equal (via `std::error_condition`) to the closest
/// `std::errc`, so code that tests for `std::errc::file_exists` still works
/// when metalio says metalio::Errc::already_registered.
///
/// The full list is declared in stage 01, even though most values are first
/// returned by later stages: stages only add files, so the enum has to be
/// complete from the start. Introduced in chapter 01 (syscall).
enum class Errc {
    /// `Events` was created with capacity zero: a poll could never report anything.
    zero_capacity_events = 1,
    /// A timeout was negative.
    negative_timeout,
    /// The file descriptor is already registered with this registry.
    already_registered,
    /// Reregister or deregister of a file descriptor that is not registered.
    not_registered,
    /// The source is already registered with a different registry (another `Poll`).
    registered_elsewhere,
    /// A `Poll` can have only one `Waker`.
    waker_exists,
    /// A socket address string could not be parsed.
    invalid_socket_address,
};
// [errc]

/// The `std::error_category` of metalio::Errc ("metalio").
const std::error_category& error_category() noexcept;

/// Makes a `std::error_code` from a metalio::Errc (found by ADL).
std::error_code make_error_code(Errc e) noexcept;

}  // namespace metalio

/// @cond
// Lets `std::error_code ec = Errc::...` convert implicitly.
template <>
struct std::is_error_code_enum<metalio::Errc> : std::true_type {};
/// @endcond
