// Exercise 07: your file. The task is in exercise.hpp; run
// `make exercise EX=07` to test it, `make hint EX=07` if stuck.
#include <unistd.h>

#include <cstdint>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<void> wake(int eventfd) {
    // TODO: write a std::uint64_t 1 with METALIO_SYSCALL(write, ...).
    // TODO: on WouldBlock, read the counter to zero it, then write again.
    (void)eventfd;
    return std::unexpected(std::make_error_code(std::errc::function_not_supported));
}

}  // namespace metalio::exercise
