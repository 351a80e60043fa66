// Exercise 06, a known-wrong answer: one read per event. Fine with
// level-triggered polling; with edge triggering the rest is stranded.
#include <span>

#include "exercise.hpp"

namespace metalio::exercise {

io::Result<bool> drain(const net::TcpStream& stream, std::string& received) {
    char buffer[4096];
    const auto read = stream.read(std::as_writable_bytes(std::span(buffer)));
    if (read && *read == 0) return true;
    if (read) {
        received.append(buffer, *read);
        return false;
    }
    if (io::is_would_block(read.error())) return false;
    return std::unexpected(read.error());
}

}  // namespace metalio::exercise
