#include "metalio/net/io_socket.hpp"

#include "metalio/sys/tcp.hpp"

namespace metalio::net {

io::Result<void> IoSocket::set_ttl(std::uint32_t ttl) const noexcept {
    return sys::net::set_int_option(raw(), IPPROTO_IP, IP_TTL, static_cast<int>(ttl));
}

io::Result<std::uint32_t> IoSocket::ttl() const noexcept {
    const auto ttl = sys::net::int_option(raw(), IPPROTO_IP, IP_TTL);
    if (!ttl) return std::unexpected(ttl.error());
    return static_cast<std::uint32_t>(*ttl);
}

}  // namespace metalio::net
