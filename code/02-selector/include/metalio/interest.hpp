/// @file
/// Interest: which readiness a registration asks for.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "metalio/to_string_formatter.hpp"

namespace metalio {

// [interest]
/// The kinds of readiness a source is registered for: READABLE, WRITABLE,
/// PRIORITY, or a union of them. Never empty: there is no way to build an
/// Interest with no bit set, so "registered for nothing" cannot be expressed
/// (to stop receiving events, deregister). Introduced in chapter 02 (selector).
class Interest {
public:
    static const Interest READABLE;  ///< Data (or a connection, or end-of-file) can be read.
    static const Interest WRITABLE;  ///< Data can be written without blocking.
    static const Interest PRIORITY;  ///< Out-of-band / priority data (EPOLLPRI).

    /// The union of this and @p other (mio's `Interest::add`).
    [[nodiscard]] constexpr Interest add(Interest other) const noexcept {
        return Interest(bits_ | other.bits_);
    }
    /// This without @p other, or nullopt if nothing would be left.
    [[nodiscard]] constexpr std::optional<Interest> remove(Interest other) const noexcept {
        const auto left = static_cast<std::uint8_t>(bits_ & ~other.bits_);
        if (left == 0) return std::nullopt;
        return Interest(left);
    }

    /// Includes READABLE.
    [[nodiscard]] constexpr bool is_readable() const noexcept { return (bits_ & kReadable) != 0; }
    /// Includes WRITABLE.
    [[nodiscard]] constexpr bool is_writable() const noexcept { return (bits_ & kWritable) != 0; }
    /// Includes PRIORITY.
    [[nodiscard]] constexpr bool is_priority() const noexcept { return (bits_ & kPriority) != 0; }

    /// `Interest::READABLE | Interest::WRITABLE`, the same as add().
    friend constexpr Interest operator|(Interest a, Interest b) noexcept { return a.add(b); }
    /// The same set of interests.
    friend constexpr bool operator==(Interest, Interest) = default;

    // [interest-print]
    /// The set interests by name, as mio's `Debug` prints them:
    /// `READABLE`, `READABLE | WRITABLE`, `READABLE | WRITABLE | PRIORITY`.
    [[nodiscard]] std::string to_string() const;
    /// Writes to_string() to @p out.
    friend std::ostream& operator<<(std::ostream& out, Interest interest);
    // [interest-print]

    // [interest-private]
private:
    static constexpr std::uint8_t kReadable = 0b001;
    static constexpr std::uint8_t kWritable = 0b010;
    static constexpr std::uint8_t kPriority = 0b100;

    constexpr explicit Interest(std::uint8_t bits) noexcept : bits_(bits) {}

    std::uint8_t bits_;
};

inline constexpr Interest Interest::READABLE{kReadable};
inline constexpr Interest Interest::WRITABLE{kWritable};
inline constexpr Interest Interest::PRIORITY{kPriority};
// [interest-private]
// [interest]

}  // namespace metalio

/// @cond
#if __cpp_lib_format
// std::format("{}", x) prints x.to_string().
template <>
struct std::formatter<metalio::Interest> : metalio::ToStringFormatter<metalio::Interest> {};
#endif
/// @endcond
