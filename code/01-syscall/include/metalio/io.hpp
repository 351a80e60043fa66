/// @file
/// `io::Result<T>`: the C++ spelling of Rust's `std::io::Result<T>`.
#pragma once

#include <cerrno>
#include <expected>
#include <system_error>

#include "metalio/error.hpp"

namespace metalio::io {

// [result]
/// The value of an I/O operation, or the reason it failed.
///
/// Rust's `io::Result<T>` is an enum with an `Ok(T)` and an `Err(io::Error)`
/// arm; `std::expected` is the same shape. The error is a `std::error_code`,
/// so an errno from the kernel and a metalio::Errc live in one type.
/// Nothing in metalio throws on an I/O path. Introduced in chapter 01.
template <class T>
using Result = std::expected<T, std::error_code>;
// [result]

/// The error for the current `errno`, as std::io::Error::last_os_error does it.
inline std::error_code last_os_error() noexcept { return {errno, std::system_category()}; }

// [helpers]
/// True if the operation could not complete without blocking.
///
/// Linux defines EWOULDBLOCK as EAGAIN, but POSIX allows them to differ,
/// so both count. An error from a system call is in the system category,
/// whose numbers are errno values: compare the number directly. Any other
/// category is asked through the generic conditions (a virtual call).
/// The code is taken by value (two words): the virtual call then sees a
/// copy, and the caller's io::Result can stay in registers.
inline bool is_would_block(std::error_code error) noexcept {
    if (error.category() == std::system_category()) {
        return error.value() == EAGAIN || error.value() == EWOULDBLOCK;
    }
    return error == std::errc::operation_would_block ||
           error == std::errc::resource_unavailable_try_again;
}

/// True if a signal interrupted the call (EINTR): the caller may simply retry.
inline bool is_interrupted(std::error_code error) noexcept {
    if (error.category() == std::system_category()) return error.value() == EINTR;
    return error == std::errc::interrupted;
}
// [helpers]

}  // namespace metalio::io
