/// @file
/// SocketAddr: an IPv4 or IPv6 address with a port.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "metalio/io.hpp"
#include "metalio/sys/socket.hpp"

namespace metalio::net {

// [socket-addr]
/// An IP address and a port: Rust's `std::net::SocketAddr`, which mio takes
/// in `bind` and `connect` and returns from `accept` and `local_addr`.
///
/// It is a plain value (copyable, comparable). It knows how to turn itself
/// into the `sockaddr_storage` + length pair the socket system calls want
/// (to_raw()) and back (from_raw()), and how to read and print the usual
/// text forms: `127.0.0.1:13265` and `[::1]:80`. Introduced in chapter 04 (net).
class SocketAddr {
public:
    /// What the socket system calls take: a buffer big enough for any family,
    /// and how much of it is used. Introduced in chapter 04 (net).
    struct Raw {
        sockaddr_storage storage{};  ///< A `sockaddr_in` or `sockaddr_in6`, zero-padded.
        socklen_t length = 0;        ///< `sizeof` the one that is used.

        /// The pointer `bind`, `connect` and friends expect.
        [[nodiscard]] const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
    };

    /// An IPv4 address from its four bytes, e.g. `v4({127, 0, 0, 1}, 80)`.
    static SocketAddr v4(std::array<std::uint8_t, 4> ip, std::uint16_t port) noexcept;
    /// An IPv6 address from its sixteen bytes (network order) and a scope id
    /// (the interface index, only meaningful for link-local addresses).
    static SocketAddr v6(const std::array<std::uint8_t, 16>& ip, std::uint16_t port,
                         std::uint32_t scope_id = 0) noexcept;

    /// Reads `a.b.c.d:port` or `[ipv6]:port`. Anything else (no port, a port
    /// above 65535, a bracket missing, a host name) is
    /// Errc::invalid_socket_address; nothing is looked up in DNS.
    static io::Result<SocketAddr> parse(std::string_view text) noexcept;

    /// Reads what the kernel wrote (accept, getsockname, getpeername).
    /// Errc::invalid_socket_address if it is not an IPv4 or IPv6 address.
    static io::Result<SocketAddr> from_raw(const sockaddr_storage& storage, socklen_t length) noexcept;

    /// The form the system calls take.
    [[nodiscard]] Raw to_raw() const noexcept;

    /// The same text parse() reads: `127.0.0.1:13265`, `[::1]:80`.
    [[nodiscard]] std::string to_string() const;

    /// The port, in host byte order.
    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    /// Replaces the port (e.g. to reuse an address with port 0).
    void set_port(std::uint16_t port) noexcept { port_ = port; }
    /// True for an IPv4 address.
    [[nodiscard]] bool is_ipv4() const noexcept { return family_ == AF_INET; }
    /// True for an IPv6 address.
    [[nodiscard]] bool is_ipv6() const noexcept { return family_ == AF_INET6; }
    /// `AF_INET` or `AF_INET6`: what socket() needs.
    [[nodiscard]] int family() const noexcept { return family_; }

    /// Same family, address, port and scope id.
    friend bool operator==(const SocketAddr&, const SocketAddr&) = default;

private:
    SocketAddr() noexcept = default;

    int family_ = AF_INET;
    std::array<std::uint8_t, 16> ip_{};  // IPv4 uses the first four bytes
    std::uint16_t port_ = 0;
    std::uint32_t scope_id_ = 0;
};
// [socket-addr]

}  // namespace metalio::net
