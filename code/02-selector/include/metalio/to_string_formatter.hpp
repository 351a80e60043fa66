/// @file
/// std::format support for the types that print themselves with to_string().
#pragma once

#include <version>  // defines __cpp_lib_format where <format> exists

#if __cpp_lib_format
#include <format>
#include <string_view>

namespace metalio {

/// A std::formatter for a type with a `to_string()` member: formats that
/// text like a string, so width and alignment work (`{:>20}`).
template <class T>
struct ToStringFormatter : std::formatter<std::string_view> {
    /// Formats `value.to_string()`.
    auto format(const T& value, std::format_context& context) const {
        return std::formatter<std::string_view>::format(value.to_string(), context);
    }
};

}  // namespace metalio

#endif  // __cpp_lib_format (g++ 12's library has none: operator<< and to_string() only)
