// Stage 08: posix::SocketAddr, the address of a Unix domain socket.
#include <cstring>
#include <string>

#include "helpers.hpp"

using metalio::posix::SocketAddr;
using namespace stage08;

TEST_CASE("a pathname address reads back as the path, not as abstract or unnamed") {
    const auto addr = SocketAddr::from_pathname("/tmp/echo.sock");
    REQUIRE_MESSAGE(addr.has_value(), why(addr));
    CHECK(addr->as_pathname() == std::string_view("/tmp/echo.sock"));
    CHECK_FALSE(addr->as_abstract_name().has_value());
    CHECK_FALSE(addr->is_unnamed());
    CHECK(addr->to_string() == "/tmp/echo.sock");
}

TEST_CASE("an abstract address keeps every byte, NUL too, and prints with @") {
    const std::string name("a\0b", 3);
    const auto addr = SocketAddr::from_abstract_name(name);
    REQUIRE(addr.has_value());
    CHECK(addr->as_abstract_name() == std::string_view(name));
    CHECK_FALSE(addr->as_pathname().has_value());
    CHECK(addr->to_string() == "@" + name);
    CHECK(*addr != *SocketAddr::from_abstract_name("a"));
}

TEST_CASE("the longest path that fits sun_path is accepted, one byte more is ENAMETOOLONG") {
    const std::string fits(SocketAddr::max_pathname, 'x');
    CHECK(SocketAddr::from_pathname(fits).has_value());
    const auto too_long = SocketAddr::from_pathname(fits + "x");
    REQUIRE_FALSE(too_long.has_value());
    CHECK(too_long.error() == std::errc::filename_too_long);
    const auto abstract_too_long = SocketAddr::from_abstract_name(std::string(SocketAddr::max_abstract_name + 1, 'y'));
    REQUIRE_FALSE(abstract_too_long.has_value());
    CHECK(abstract_too_long.error() == std::errc::filename_too_long);
}

TEST_CASE("an empty path or a path with a NUL inside is EINVAL") {
    for (const std::string_view bad : {std::string_view(""), std::string_view("/tmp/a\0b", 8)}) {
        const auto addr = SocketAddr::from_pathname(bad);
        REQUIRE_FALSE(addr.has_value());
        CHECK(addr.error() == std::errc::invalid_argument);
    }
}

TEST_CASE("from_raw reads the kernel's forms: pathname with or without NUL, unnamed, refuses other families") {
    sockaddr_un raw{};
    raw.sun_family = AF_UNIX;
    std::memcpy(raw.sun_path, "/x", 2);
    const auto offset = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path));
    const auto without_nul = SocketAddr::from_raw(raw, offset + 2);
    const auto with_nul = SocketAddr::from_raw(raw, offset + 3);
    REQUIRE(without_nul.has_value());
    REQUIRE(with_nul.has_value());
    CHECK(without_nul->as_pathname() == std::string_view("/x"));
    CHECK(*without_nul == *with_nul);
    const auto unnamed = SocketAddr::from_raw(raw, sizeof(sa_family_t));
    REQUIRE(unnamed.has_value());
    CHECK(unnamed->is_unnamed());
    CHECK(unnamed->to_string() == "(unnamed)");
    raw.sun_family = AF_INET;
    CHECK_FALSE(SocketAddr::from_raw(raw, offset + 2).has_value());
}
