// Exercise 09: reference solution.
#include "exercise.hpp"
#include "metalio/rt/select.hpp"
#include "metalio/rt/timers.hpp"

namespace metalio::exercise {

rt::Task<io::Result<std::size_t>> read_timeout(rt::TcpStream& stream, std::span<std::byte> buffer,
                                               std::chrono::nanoseconds limit) {
    // Whichever finishes first resumes us; select destroys the other. A
    // destroyed read was parked on the reactor and had read nothing.
    auto first = co_await rt::select(stream.read(buffer), rt::sleep_for(limit));
    if (first.index() == 1) co_return std::unexpected(std::make_error_code(std::errc::timed_out));
    co_return std::get<0>(first);
}

}  // namespace metalio::exercise
