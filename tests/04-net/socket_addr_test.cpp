// Stage 04: SocketAddr, parsing, printing and the raw form for the syscalls.
#if !defined(_WIN32)
#include <netinet/in.h>  // sockaddr_in (Windows: <ws2tcpip.h>, through socket_addr.hpp)
#endif

#include <string>
#include <string_view>

#include "metalio/net/socket_addr.hpp"
#include "metalio_test.hpp"

using metalio::Errc;
using metalio::net::SocketAddr;

TEST_CASE("SocketAddr::parse reads IPv4 and IPv6 forms and to_string prints them back unchanged") {
    for (const std::string_view text : {"127.0.0.1:13265", "0.0.0.0:0", "255.255.255.255:65535", "10.1.2.3:80",
                                        "[::1]:80", "[::]:0", "[2001:db8::1]:443", "[fe80::1%2]:8080",
                                        "[::ffff:1.2.3.4]:1"}) {
        CAPTURE(text);
        const auto parsed = SocketAddr::parse(text);
        REQUIRE_MESSAGE(parsed.has_value(), "a valid address was rejected");
        CHECK(parsed->to_string() == text);
        const auto again = SocketAddr::parse(parsed->to_string());
        REQUIRE(again.has_value());
        CHECK_MESSAGE(*again == *parsed, "printing and parsing again gave a different address");
    }
}

TEST_CASE("SocketAddr::parse knows the family and the port") {
    const auto v4 = SocketAddr::parse("127.0.0.1:13265");
    REQUIRE(v4.has_value());
    CHECK(v4->is_ipv4());
    CHECK_FALSE(v4->is_ipv6());
    CHECK(v4->family() == AF_INET);
    CHECK(v4->port() == 13265);
    CHECK(*v4 == SocketAddr::v4({127, 0, 0, 1}, 13265));

    const auto v6 = SocketAddr::parse("[::1]:80");
    REQUIRE(v6.has_value());
    CHECK(v6->is_ipv6());
    CHECK_FALSE(v6->is_ipv4());
    CHECK(v6->family() == AF_INET6);
    CHECK(v6->port() == 80);
    std::array<std::uint8_t, 16> loopback{};
    loopback[15] = 1;
    CHECK(*v6 == SocketAddr::v6(loopback, 80));
}

TEST_CASE("SocketAddr::parse rejects bad input with Errc::invalid_socket_address, never a crash") {
    const std::string too_long(200, '1');
    const std::string too_long_port = too_long + ":80";
    const std::string too_long_bracketed = "[" + too_long + "]:80";
    for (const std::string_view text :
         {std::string_view(""), std::string_view("127.0.0.1"), std::string_view("127.0.0.1:"),
          std::string_view(":80"), std::string_view(":"), std::string_view("127.0.0.1:65536"),
          std::string_view("127.0.0.1:99999"), std::string_view("127.0.0.1:123456"), std::string_view("127.0.0.1:-1"),
          std::string_view("127.0.0.1:+1"), std::string_view("127.0.0.1: 80"), std::string_view("127.0.0.1:80 "),
          std::string_view(" 127.0.0.1:80"), std::string_view("127.0.0.1:8o"), std::string_view("localhost:80"),
          std::string_view("256.0.0.1:80"), std::string_view("1.2.3:80"), std::string_view("1.2.3.4.5:80"),
          std::string_view("garbage"), std::string_view("[::1"), std::string_view("[::1]"),
          std::string_view("[::1]80"), std::string_view("[::1]:"), std::string_view("[::1]:65536"),
          std::string_view("::1:80"), std::string_view("[]:80"), std::string_view("[127.0.0.1]:80"),
          std::string_view("[::1%]:80"), std::string_view("[::1%x]:80"), std::string_view("[::1%99999999999]:80"),
          std::string_view("[:::1]:80"), std::string_view("127.0.0.1\0:80", 13), std::string_view("[::1]:80\0", 9),
          std::string_view(too_long), std::string_view(too_long_port),
          std::string_view(too_long_bracketed)}) {
        CAPTURE(text);
        const auto parsed = SocketAddr::parse(text);
        REQUIRE_MESSAGE(!parsed.has_value(), "bad input was accepted as ",
                        parsed.has_value() ? parsed->to_string() : std::string("(rejected)"));
        CHECK(parsed.error() == Errc::invalid_socket_address);
        CHECK_MESSAGE(parsed.error() == std::errc::invalid_argument,
                      "the error should also compare equal to std::errc::invalid_argument");
    }
}

TEST_CASE("SocketAddr::to_raw fills a sockaddr_in / sockaddr_in6 in network byte order, and from_raw reads it back") {
    const SocketAddr v4 = SocketAddr::v4({192, 168, 1, 2}, 0x1234);
    const SocketAddr::Raw raw4 = v4.to_raw();
    REQUIRE(raw4.length == sizeof(sockaddr_in));
    const auto* in = reinterpret_cast<const sockaddr_in*>(&raw4.storage);
    CHECK(in->sin_family == AF_INET);
    CHECK(in->sin_port == htons(0x1234));
    CHECK(in->sin_addr.s_addr == htonl(0xC0A80102));
    const auto back4 = SocketAddr::from_raw(raw4.storage, raw4.length);
    REQUIRE(back4.has_value());
    CHECK(*back4 == v4);

    const auto v6 = SocketAddr::parse("[fe80::1%3]:443");
    REQUIRE(v6.has_value());
    const SocketAddr::Raw raw6 = v6->to_raw();
    REQUIRE(raw6.length == sizeof(sockaddr_in6));
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&raw6.storage);
    CHECK(in6->sin6_family == AF_INET6);
    CHECK(in6->sin6_port == htons(443));
    CHECK(in6->sin6_scope_id == 3);
    CHECK(in6->sin6_addr.s6_addr[0] == 0xfe);
    CHECK(in6->sin6_addr.s6_addr[15] == 1);
    const auto back6 = SocketAddr::from_raw(raw6.storage, raw6.length);
    REQUIRE(back6.has_value());
    CHECK(*back6 == *v6);
}

TEST_CASE("SocketAddr::from_raw rejects other families and truncated lengths") {
    sockaddr_storage storage{};
    storage.ss_family = AF_UNIX;
    const auto unix_family = SocketAddr::from_raw(storage, sizeof storage);
    REQUIRE_FALSE(unix_family.has_value());
    CHECK(unix_family.error() == Errc::invalid_socket_address);

    const SocketAddr::Raw raw = SocketAddr::v4({1, 2, 3, 4}, 5).to_raw();
    const auto truncated = SocketAddr::from_raw(raw.storage, raw.length - 1);
    REQUIRE_FALSE(truncated.has_value());
    CHECK(truncated.error() == Errc::invalid_socket_address);
}

TEST_CASE("SocketAddr equality compares family, address and port") {
    const SocketAddr a = SocketAddr::v4({127, 0, 0, 1}, 80);
    CHECK(a == SocketAddr::v4({127, 0, 0, 1}, 80));
    CHECK(a != SocketAddr::v4({127, 0, 0, 1}, 81));
    CHECK(a != SocketAddr::v4({127, 0, 0, 2}, 80));
    const auto mapped = SocketAddr::parse("[::ffff:127.0.0.1]:80");
    REQUIRE(mapped.has_value());
    CHECK_MESSAGE(a != *mapped, "an IPv4 address and its IPv4-mapped IPv6 form are different socket addresses");
    SocketAddr b = a;
    b.set_port(81);
    CHECK(b.port() == 81);
    CHECK(b == SocketAddr::v4({127, 0, 0, 1}, 81));
}
