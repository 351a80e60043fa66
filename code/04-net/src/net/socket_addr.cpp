#include "metalio/net/socket_addr.hpp"

#if !defined(_WIN32)
#include <arpa/inet.h>  // inet_pton, inet_ntop (Windows: <ws2tcpip.h>, via socket.hpp)
#include <netinet/in.h>
#endif

#include <charconv>
#include <cstring>

namespace metalio::net {
namespace {

std::unexpected<std::error_code> invalid() { return std::unexpected(make_error_code(Errc::invalid_socket_address)); }

// Decimal digits only (no sign, no spaces), at most @p max_digits of them.
template <class Int>
bool parse_number(std::string_view text, std::size_t max_digits, Int& out) {
    if (text.empty() || text.size() > max_digits) return false;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
    }
    unsigned long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) return false;
    if (value > static_cast<unsigned long>(static_cast<Int>(-1))) return false;
    out = static_cast<Int>(value);
    return true;
}

// inet_pton wants a NUL-terminated string; an address longer than the
// longest valid text form cannot be valid anyway.
bool parse_ip(int family, std::string_view text, void* out) {
    char buffer[INET6_ADDRSTRLEN] = {};
    // An embedded NUL would make inet_pton stop early and accept a prefix.
    if (text.empty() || text.size() >= sizeof buffer || text.find('\0') != std::string_view::npos) return false;
    std::memcpy(buffer, text.data(), text.size());
    return ::inet_pton(family, buffer, out) == 1;
}

}  // namespace

SocketAddr SocketAddr::v4(std::array<std::uint8_t, 4> ip, std::uint16_t port) noexcept {
    SocketAddr addr;
    addr.family_ = AF_INET;
    std::memcpy(addr.ip_.data(), ip.data(), ip.size());
    addr.port_ = port;
    return addr;
}

SocketAddr SocketAddr::v6(const std::array<std::uint8_t, 16>& ip, std::uint16_t port,
                          std::uint32_t scope_id) noexcept {
    SocketAddr addr;
    addr.family_ = AF_INET6;
    addr.ip_ = ip;
    addr.port_ = port;
    addr.scope_id_ = scope_id;
    return addr;
}

// [parse]
io::Result<SocketAddr> SocketAddr::parse(std::string_view text) noexcept {
    // The port is whatever follows the last ':'; for IPv6 the address is in
    // brackets, because the address itself is full of ':'.
    std::string_view host;
    std::string_view port_text;
    bool bracketed = false;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return invalid();
        host = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
        bracketed = true;
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return invalid();
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
    }
    std::uint16_t port = 0;
    if (!parse_number(port_text, 5, port)) return invalid();

    SocketAddr addr;
    addr.port_ = port;
    if (!bracketed) {
        addr.family_ = AF_INET;
        if (!parse_ip(AF_INET, host, addr.ip_.data())) return invalid();
        return addr;
    }
    addr.family_ = AF_INET6;
    if (const auto percent = host.find('%'); percent != std::string_view::npos) {
        // A numeric scope id, as to_string() prints it: [fe80::1%2]:80.
        if (!parse_number(host.substr(percent + 1), 10, addr.scope_id_)) return invalid();
        host = host.substr(0, percent);
    }
    if (!parse_ip(AF_INET6, host, addr.ip_.data())) return invalid();
    return addr;
}
// [parse]

// [raw]
io::Result<SocketAddr> SocketAddr::from_raw(const sockaddr_storage& storage, socklen_t length) noexcept {
    if (storage.ss_family == AF_INET && static_cast<std::size_t>(length) >= sizeof(sockaddr_in)) {
        sockaddr_in in{};
        std::memcpy(&in, &storage, sizeof in);
        SocketAddr addr;
        addr.family_ = AF_INET;
        std::memcpy(addr.ip_.data(), &in.sin_addr, sizeof in.sin_addr);
        addr.port_ = ntohs(in.sin_port);
        return addr;
    }
    if (storage.ss_family == AF_INET6 && static_cast<std::size_t>(length) >= sizeof(sockaddr_in6)) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, &storage, sizeof in6);
        SocketAddr addr;
        addr.family_ = AF_INET6;
        std::memcpy(addr.ip_.data(), &in6.sin6_addr, sizeof in6.sin6_addr);
        addr.port_ = ntohs(in6.sin6_port);
        addr.scope_id_ = in6.sin6_scope_id;
        return addr;
    }
    return invalid();
}

SocketAddr::Raw SocketAddr::to_raw() const noexcept {
    Raw raw;
    if (family_ == AF_INET) {
        sockaddr_in in{};
        in.sin_family = AF_INET;
        in.sin_port = htons(port_);
        std::memcpy(&in.sin_addr, ip_.data(), sizeof in.sin_addr);
        std::memcpy(&raw.storage, &in, sizeof in);
        raw.length = sizeof in;
    } else {
        sockaddr_in6 in6{};
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(port_);
        std::memcpy(&in6.sin6_addr, ip_.data(), sizeof in6.sin6_addr);
        in6.sin6_scope_id = scope_id_;
        std::memcpy(&raw.storage, &in6, sizeof in6);
        raw.length = sizeof in6;
    }
    return raw;
}
// [raw]

std::string SocketAddr::to_string() const {
    char ip[INET6_ADDRSTRLEN] = {};
    // Cannot fail: the family is right and the buffer is big enough.
    (void)::inet_ntop(family_, ip_.data(), ip, sizeof ip);
    std::string text;
    if (family_ == AF_INET) {
        text = ip;
    } else {
        text = std::string("[") + ip;
        if (scope_id_ != 0) {
            text += '%';
            text += std::to_string(scope_id_);
        }
        text += ']';
    }
    // Appended piece by piece: `"literal" + std::string` trips a false
    // -Wrestrict in g++ 12 at -O2 (GCC bug 105651).
    text += ':';
    text += std::to_string(port_);
    return text;
}

}  // namespace metalio::net
