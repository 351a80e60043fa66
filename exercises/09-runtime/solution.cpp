// Exercise 09: reference solution.
#include "exercise.hpp"

namespace metalio::exercise {

rt::Task<io::Result<void>> write_counted(rt::TcpStream& stream, std::span<const std::byte> data, std::size_t* written) {
    *written = 0;
    // write() is cancel-safe: cancelled, it took nothing. So the only
    // moments we can be cancelled are inside it, and the count is up to
    // date at each of them.
    for (std::size_t sent = 0; sent < data.size();) {
        auto part = co_await stream.write(data.subspan(sent));
        if (!part) co_return std::unexpected(part.error());
        // A socket that takes nothing would have us loop for ever.
        if (*part == 0) co_return std::unexpected(std::make_error_code(std::errc::io_error));
        sent += *part;
        *written = sent;
    }
    co_return io::Result<void>{};
}

}  // namespace metalio::exercise
