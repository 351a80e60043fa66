// Exercise 08: reference solution.
#include <sys/socket.h>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<std::size_t> drain_datagrams(int fd, std::size_t max_size, std::vector<std::string>& out) {
    // One byte more than allowed: the only way a too-long datagram can be
    // told apart from one of exactly max_size bytes without MSG_TRUNC.
    // With MSG_TRUNC, Linux returns the datagram's real length instead.
    std::string buffer(max_size, '\0');
    std::size_t count = 0;
    for (;;) {
        const auto received = METALIO_SYSCALL(recv, fd, buffer.data(), buffer.size(), MSG_TRUNC);
        if (!received) {
            if (io::is_interrupted(received.error())) continue;
            if (io::is_would_block(received.error())) return count;
            return std::unexpected(received.error());
        }
        const auto size = static_cast<std::size_t>(*received);
        if (size > max_size) return std::unexpected(std::make_error_code(std::errc::message_size));
        out.emplace_back(buffer.data(), size);
        ++count;
    }
}

}  // namespace metalio::exercise
