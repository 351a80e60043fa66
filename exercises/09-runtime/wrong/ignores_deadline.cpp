// Known-wrong answer: reads and forgets the limit. A peer that never sends
// keeps the caller waiting forever.
#include "exercise.hpp"

namespace metalio::exercise {

rt::Task<io::Result<std::size_t>> read_timeout(rt::TcpStream& stream, std::span<std::byte> buffer,
                                               std::chrono::nanoseconds limit) {
    (void)limit;
    co_return co_await stream.read(buffer);
}

}  // namespace metalio::exercise
