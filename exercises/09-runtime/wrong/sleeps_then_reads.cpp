// Known-wrong answer: thinks like a poll loop — wait out the limit, then
// see whether something arrived. Right results, but every read takes the
// whole limit, even when the bytes were there at once.
#include "exercise.hpp"
#include "metalio/rt/select.hpp"
#include "metalio/rt/timers.hpp"

namespace metalio::exercise {

rt::Task<io::Result<std::size_t>> read_timeout(rt::TcpStream& stream, std::span<std::byte> buffer,
                                               std::chrono::nanoseconds limit) {
    co_await rt::sleep_for(limit);
    auto first = co_await rt::select(stream.read(buffer), rt::sleep_for(std::chrono::milliseconds(1)));
    if (first.index() == 1) co_return std::unexpected(std::make_error_code(std::errc::timed_out));
    co_return std::get<0>(first);
}

}  // namespace metalio::exercise
