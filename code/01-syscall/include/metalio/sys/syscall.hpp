/// @file
/// The C++ answer to mio's `syscall!` macro.
#pragma once

#include <functional>
#include <string_view>
#include <type_traits>

#include "metalio/io.hpp"
#include "metalio/sys/fault.hpp"

namespace metalio::sys {

// [syscall]
/// Calls the libc function @p fn with @p args and turns the C convention
/// "-1 and errno" into an io::Result.
///
/// This is the whole of mio's `syscall!` macro as a function template: it
/// works for every libc call that returns `int` or `ssize_t` and signals an
/// error with -1. @p name is only used by fault injection (see
/// metalio::sys::fault), which lets tests make this call fail on purpose.
/// Introduced in chapter 01 (syscall).
template <class Fn, class... Args>
auto syscall([[maybe_unused]] std::string_view name, Fn fn, Args... args) noexcept
    -> io::Result<std::invoke_result_t<Fn, Args...>> {
#if METALIO_FAULT_INJECTION
    if (const auto injected = fault::check(name)) [[unlikely]] {
        return std::unexpected(std::error_code(*injected, std::system_category()));
    }
#endif
    const auto result = std::invoke(fn, args...);
    if (result == -1) return std::unexpected(io::last_os_error());
    return result;
}
// [syscall]

}  // namespace metalio::sys

// [macro]
/// `METALIO_SYSCALL(epoll_create1, EPOLL_CLOEXEC)` calls libc's `epoll_create1`
/// through metalio::sys::syscall, passing the function's own name along.
///
/// A macro is still needed for one thing only: turning the identifier into
/// the string `"%epoll_create1"` (`\#fn`); C++23 has no reflection to do it.
#define METALIO_SYSCALL(fn, ...) ::metalio::sys::syscall(#fn, ::fn __VA_OPT__(, ) __VA_ARGS__)
// [macro]
