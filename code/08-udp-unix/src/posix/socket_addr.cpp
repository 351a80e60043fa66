#include "metalio/posix/socket_addr.hpp"

#include <cstring>

#include "metalio/sys/unix/portable/uds.hpp"

namespace metalio::posix {

namespace {

std::unexpected<std::error_code> error(std::errc code) { return std::unexpected(std::make_error_code(code)); }

}  // namespace

// [from-pathname]
io::Result<SocketAddr> SocketAddr::from_pathname(std::string_view path) noexcept {
    // Checked here, because the kernel would not say it: a bind() with a
    // sockaddr_un whose path fills sun_path without a NUL uses the bytes as
    // they are, and a truncated copy would name a different file.
    if (path.size() > max_pathname) return error(std::errc::filename_too_long);
    if (path.empty() || path.find('\0') != std::string_view::npos) return error(std::errc::invalid_argument);
    SocketAddr addr;
    std::memcpy(addr.raw_.sun_path, path.data(), path.size());  // the NUL is already there
    addr.length_ = static_cast<socklen_t>(offset() + path.size() + 1);
    return addr;
}
// [from-pathname]

io::Result<SocketAddr> SocketAddr::from_abstract_name(std::string_view name) noexcept {
    // Linux only: elsewhere a leading NUL is just an odd path the kernel
    // refuses (sys/unix/portable/uds.hpp).
    if constexpr (!sys::portable::has_abstract_names) return error(std::errc::not_supported);
    if (name.size() > max_abstract_name) return error(std::errc::filename_too_long);
    SocketAddr addr;
    // sun_path[0] stays NUL: that is what makes the name abstract. Its
    // length is in length_, not in a terminator, so any byte may follow.
    std::memcpy(addr.raw_.sun_path + 1, name.data(), name.size());
    addr.length_ = static_cast<socklen_t>(offset() + 1 + name.size());
    return addr;
}

io::Result<SocketAddr> SocketAddr::from_raw(const sockaddr_un& raw, socklen_t length) noexcept {
    if (raw.sun_family != AF_UNIX || length > sizeof raw) return error(std::errc::invalid_argument);
    SocketAddr addr;
    std::memcpy(&addr.raw_, &raw, length);
    addr.length_ = length < offset() ? offset() : length;
    return addr;
}

std::optional<std::string_view> SocketAddr::as_pathname() const noexcept {
    if (is_unnamed() || raw_.sun_path[0] == '\0') return std::nullopt;
    // The kernel may or may not count the terminating NUL: stop at the first.
    const std::size_t room = length_ - offset();
    return std::string_view(raw_.sun_path, ::strnlen(raw_.sun_path, room));
}

std::optional<std::string_view> SocketAddr::as_abstract_name() const noexcept {
    if (is_unnamed() || raw_.sun_path[0] != '\0') return std::nullopt;
    return std::string_view(raw_.sun_path + 1, length_ - offset() - 1);
}

std::string SocketAddr::to_string() const {
    if (const auto path = as_pathname()) return std::string(*path);
    if (const auto name = as_abstract_name()) {
        // Appended, not `"@" + std::string`: that trips a false -Wrestrict
        // in g++ 12 at -O2 (GCC bug 105651), as in net::SocketAddr.
        std::string text = "@";
        text += *name;
        return text;
    }
    return "(unnamed)";
}

bool operator==(const SocketAddr& a, const SocketAddr& b) noexcept {
    if (a.is_unnamed() || b.is_unnamed()) return a.is_unnamed() && b.is_unnamed();
    if (a.as_pathname() && b.as_pathname()) return *a.as_pathname() == *b.as_pathname();
    return a.as_abstract_name() == b.as_abstract_name();
}

}  // namespace metalio::posix
