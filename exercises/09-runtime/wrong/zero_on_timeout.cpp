// Known-wrong answer: races correctly, but reports a timeout as a read of
// 0 bytes, which a caller takes for end-of-file and closes a live
// connection.
#include "exercise.hpp"
#include "metalio/rt/select.hpp"
#include "metalio/rt/timers.hpp"

namespace metalio::exercise {

rt::Task<io::Result<std::size_t>> read_timeout(rt::TcpStream& stream, std::span<std::byte> buffer,
                                               std::chrono::nanoseconds limit) {
    auto first = co_await rt::select(stream.read(buffer), rt::sleep_for(limit));
    if (first.index() == 1) co_return std::size_t{0};
    co_return std::get<0>(first);
}

}  // namespace metalio::exercise
