// Exercise 09: your file. The task is in exercise.hpp; run
// `make exercise EX=09` to test it, `make hint EX=09` if stuck.
#include "exercise.hpp"
#include "metalio/rt/select.hpp"
#include "metalio/rt/timers.hpp"

namespace metalio::exercise {

rt::Task<io::Result<std::size_t>> read_timeout(rt::TcpStream& stream, std::span<std::byte> buffer,
                                               std::chrono::nanoseconds limit) {
    // TODO: race stream.read(buffer) against rt::sleep_for(limit) with
    //       co_await rt::select(...).
    // TODO: index 0 won: return the read's result; index 1 won: timed_out.
    (void)stream;
    (void)buffer;
    (void)limit;
    co_return std::unexpected(std::make_error_code(std::errc::function_not_supported));
}

}  // namespace metalio::exercise
