// Known-wrong answer for exercise 08: treats a 0-byte receive as
// end-of-file, as a stream reader would. For datagrams, 0 is an empty
// datagram, and the ones queued behind it are left unread.
#include <sys/socket.h>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<std::size_t> drain_datagrams(int fd, std::size_t max_size, std::vector<std::string>& out) {
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
        if (size == 0) return count;  // wrong: an empty datagram is not end-of-file
        if (size > max_size) return std::unexpected(std::make_error_code(std::errc::message_size));
        out.emplace_back(buffer.data(), size);
        ++count;
    }
}

}  // namespace metalio::exercise
