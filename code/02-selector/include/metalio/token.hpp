/// @file
/// Token: the caller's name for a registered source.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>

#include "metalio/to_string_formatter.hpp"

namespace metalio {

// [token]
/// A number the caller picks when registering a source; every event for
/// that source carries it back.
///
/// The kernel stores it in `epoll_event.data.u64` and returns it untouched,
/// so a token is how an event finds its connection (the echo server keeps a
/// map from Token to stream). Introduced in chapter 02 (selector).
struct Token {
    /// The number itself (mio: `Token(pub usize)`).
    std::size_t value = 0;

    /// Tokens compare by value.
    friend constexpr auto operator<=>(Token, Token) = default;

    /// `Token(3)`, as mio's `Debug` prints it.
    [[nodiscard]] std::string to_string() const;
    /// Writes to_string() to @p out.
    friend std::ostream& operator<<(std::ostream& out, Token token);
};
// [token]

}  // namespace metalio

/// @cond
// Tokens are keys of hash maps, as `HashMap<Token, TcpStream>` in mio's example.
template <>
struct std::hash<metalio::Token> {
    std::size_t operator()(metalio::Token token) const noexcept { return token.value; }
};
/// @endcond

/// @cond
#if __cpp_lib_format
// std::format("{}", x) prints x.to_string().
template <>
struct std::formatter<metalio::Token> : metalio::ToStringFormatter<metalio::Token> {};
#endif
/// @endcond
