// Known-wrong answer: the count is right, but every write starts again at
// the front of the buffer, so after a short write the peer receives the
// first bytes twice and never the last ones.
#include "exercise.hpp"

namespace metalio::exercise {

rt::Task<io::Result<void>> write_counted(rt::TcpStream& stream, std::span<const std::byte> data, std::size_t* written) {
    *written = 0;
    while (*written < data.size()) {
        auto part = co_await stream.write(data.first(data.size() - *written));
        if (!part) co_return std::unexpected(part.error());
        if (*part == 0) co_return std::unexpected(std::make_error_code(std::errc::io_error));
        *written += *part;
    }
    co_return io::Result<void>{};
}

}  // namespace metalio::exercise
