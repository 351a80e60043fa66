/// @file
/// posix::SocketAddr: the address of a Unix domain socket.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <optional>
#include <string>
#include <string_view>

#include "metalio/io.hpp"

namespace metalio::posix {

// [unix-socket-addr]
/// The address of a Unix domain socket (`AF_UNIX`): mio's `unix::SocketAddr`.
///
/// It is one of three kinds:
/// - a *pathname*: a file in the file system, e.g. `/tmp/echo.sock`;
/// - an *abstract* name (Linux): a name in a namespace of its own, which no
///   file backs and which disappears with the last socket using it. In the
///   kernel's form its first byte is NUL; here it is given without that NUL,
///   and printed as `@name`, as `ss` and `nc` do;
/// - *unnamed*: a socket that was never bound (a connecting client, either
///   end of a pair()).
///
/// A name must fit `sun_path` (108 bytes on Linux, including a pathname's
/// terminating NUL): a longer one is `ENAMETOOLONG` here rather than being
/// cut short by the kernel, and a pathname with a NUL inside is `EINVAL`.
/// Introduced in chapter 08 (udp-unix).
class SocketAddr {
public:
    /// The longest pathname that fits (`sizeof sun_path` less the NUL).
    static constexpr std::size_t max_pathname = sizeof(sockaddr_un::sun_path) - 1;
    /// The longest abstract name that fits (`sizeof sun_path` less the leading NUL).
    static constexpr std::size_t max_abstract_name = sizeof(sockaddr_un::sun_path) - 1;

    /// A pathname address. `ENAMETOOLONG` above max_pathname bytes; `EINVAL`
    /// for an empty path or one containing a NUL byte.
    static io::Result<SocketAddr> from_pathname(std::string_view path) noexcept;
    /// An abstract address (Linux). @p name may hold any bytes, NUL too;
    /// `ENAMETOOLONG` above max_abstract_name bytes.
    static io::Result<SocketAddr> from_abstract_name(std::string_view name) noexcept;
    /// Reads what the kernel wrote (accept, getsockname, recvfrom).
    /// `EINVAL` if it is not an `AF_UNIX` address.
    static io::Result<SocketAddr> from_raw(const sockaddr_un& raw, socklen_t length) noexcept;

    /// True for a socket that has no name (never bound).
    [[nodiscard]] bool is_unnamed() const noexcept { return length_ <= offset(); }
    /// The path, if this is a pathname address.
    [[nodiscard]] std::optional<std::string_view> as_pathname() const noexcept;
    /// The name (without the leading NUL), if this is an abstract address.
    [[nodiscard]] std::optional<std::string_view> as_abstract_name() const noexcept;

    /// The kernel's form, for bind, connect and sendto.
    [[nodiscard]] const sockaddr* raw() const noexcept { return reinterpret_cast<const sockaddr*>(&raw_); }
    /// How many bytes of raw() are used.
    [[nodiscard]] socklen_t raw_length() const noexcept { return length_; }

    /// `/path`, `@abstract` or `(unnamed)`.
    [[nodiscard]] std::string to_string() const;

    /// Same kind and same name.
    friend bool operator==(const SocketAddr& a, const SocketAddr& b) noexcept;

private:
    SocketAddr() noexcept { raw_.sun_family = AF_UNIX; }
    static constexpr socklen_t offset() noexcept { return socklen_t{offsetof(sockaddr_un, sun_path)}; }

    sockaddr_un raw_{};
    socklen_t length_ = offset();
};
// [unix-socket-addr]

}  // namespace metalio::posix
