// Known-wrong answer: counts what it asked write() to send, not what
// write() says it sent. A short write (a full socket buffer) makes the
// count run ahead of the bytes the peer gets.
#include "exercise.hpp"

namespace metalio::exercise {

rt::Task<io::Result<void>> write_counted(rt::TcpStream& stream, std::span<const std::byte> data, std::size_t* written) {
    *written = 0;
    while (*written < data.size()) {
        auto rest = data.subspan(*written);
        auto part = co_await stream.write(rest);
        if (!part) co_return std::unexpected(part.error());
        *written += rest.size();
    }
    co_return io::Result<void>{};
}

}  // namespace metalio::exercise
