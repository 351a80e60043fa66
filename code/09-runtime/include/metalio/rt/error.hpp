/// @file
/// The runtime's own error codes.
#pragma once

#include <system_error>
#include <type_traits>

namespace metalio::rt {

/// Mistakes the runtime reports instead of hanging or crashing.
/// Introduced in chapter 09 (runtime).
enum class Errc {
    /// An operation that needs a runtime ran outside Runtime::block_on, or
    /// an I/O object was used by a runtime other than the one it was made on.
    no_runtime = 1,
    /// Handle::spawn after the Runtime was destroyed.
    runtime_closed,
    /// Runtime::block_on called from inside a task (it would never return).
    nested_block_on,
    /// The I/O object (stream, listener) was destroyed, or its runtime
    /// was, while an operation waited on it.
    io_closed,
    /// The task awaited through its JoinHandle was aborted before it
    /// finished (JoinHandle::abort).
    aborted,
};

/// The `std::error_category` of rt::Errc ("metalio.rt").
const std::error_category& runtime_category() noexcept;

/// Makes a `std::error_code` from an rt::Errc (found by ADL).
inline std::error_code make_error_code(Errc error) noexcept { return {static_cast<int>(error), runtime_category()}; }

}  // namespace metalio::rt

/// @cond
template <>
struct std::is_error_code_enum<metalio::rt::Errc> : std::true_type {};
/// @endcond
