/// @file
/// Fault injection for tests: make a chosen system call fail on purpose.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace metalio::sys::fault {

/// True when this build of metalio checks for injected faults.
///
/// The check lives inside metalio::sys::syscall. Only builds configured with
/// `-DMETALIO_FAULT_INJECTION=ON` (the tests') have it; the default, and so
/// an installed library, compiles it away.
inline constexpr bool enabled =
#if METALIO_FAULT_INJECTION
    true;
#else
    false;
#endif

// [api]
/// Makes the next call of the system call @p name (e.g. `"listen"`) on this
/// thread fail with @p error, without calling it. @p skip lets that many
/// matching calls through first. One armed fault at a time; arming replaces it.
void fail_next(std::string_view name, int error, std::size_t skip = 0);

/// Makes the @p n th wrapped system call from now on this thread (0 = the very
/// next one, whatever its name) fail with @p error.
void fail_nth(std::size_t n, int error);

/// Disarms any fault and resets the call counter of this thread.
void reset();

/// How many wrapped system calls this thread made since the last reset().
std::size_t calls();

/// The name of the system call the armed fault fired on since the last
/// reset() (empty if it has not fired): lets a sweep say which call it failed.
std::string_view fired();
// [api]

/// Called by metalio::sys::syscall before each call: counts it and returns the
/// errno to fail with, if a fault is armed for it. @p name must live as long
/// as the program (the wrappers' macros pass a string literal): fired() keeps it.
std::optional<int> check(std::string_view name) noexcept;

}  // namespace metalio::sys::fault
