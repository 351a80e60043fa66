/// @file
/// Token: the caller's name for a registered source.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>

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
