// Helpers shared by the Unix stage 08 tests: udp_helpers.hpp, plus the
// descriptor flags, temporary socket paths and abstract names.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <string_view>

#include "metalio/posix/socket_addr.hpp"
#include "temp_dir.hpp"
#include "udp_helpers.hpp"

template <>
struct doctest::StringMaker<metalio::posix::SocketAddr> {
    static doctest::String convert(const metalio::posix::SocketAddr& addr) { return addr.to_string().c_str(); }
};

namespace stage08 {

inline bool is_nonblocking(int fd) { return (::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0; }
inline bool is_cloexec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

using metalio::test::TempDir;

/// A name in the abstract namespace no other test process uses.
inline std::string abstract_name(std::string_view what) {
    return "metalio-test-" + std::to_string(::getpid()) + "-" + std::string(what);
}

}  // namespace stage08
