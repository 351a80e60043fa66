// Exercise 06, a known-wrong answer: drains correctly, but gives up when a
// signal interrupts a read.
#include <span>

#include "exercise.hpp"

namespace metalio::exercise {

io::Result<bool> drain(const net::TcpStream& stream, std::string& received) {
    char buffer[4096];
    for (;;) {
        const auto read = stream.read(std::as_writable_bytes(std::span(buffer)));
        if (read && *read == 0) return true;
        if (read) {
            received.append(buffer, *read);
            continue;
        }
        if (io::is_would_block(read.error())) return false;
        return std::unexpected(read.error());
    }
}

}  // namespace metalio::exercise
