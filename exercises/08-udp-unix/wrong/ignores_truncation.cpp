// Known-wrong answer for exercise 08: receives without MSG_TRUNC, so a
// datagram longer than the buffer comes back cut to max_size bytes and is
// stored as if it were whole.
#include <sys/socket.h>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<std::size_t> drain_datagrams(int fd, std::size_t max_size, std::vector<std::string>& out) {
    std::string buffer(max_size, '\0');
    std::size_t count = 0;
    for (;;) {
        const auto received = METALIO_SYSCALL(recv, fd, buffer.data(), buffer.size(), 0);
        if (!received) {
            if (io::is_interrupted(received.error())) continue;
            if (io::is_would_block(received.error())) return count;
            return std::unexpected(received.error());
        }
        out.emplace_back(buffer.data(), static_cast<std::size_t>(*received));
        ++count;
    }
}

}  // namespace metalio::exercise
