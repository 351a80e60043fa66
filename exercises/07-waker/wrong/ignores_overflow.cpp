// Exercise 07, a known-wrong answer: hands WouldBlock to the caller, so a
// counter that is full can never wake the loop again.
#include <unistd.h>

#include <cstdint>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<void> wake(int eventfd) {
    const std::uint64_t one = 1;
    const auto written = METALIO_SYSCALL(write, eventfd, &one, sizeof one);
    if (!written) return std::unexpected(written.error());
    return {};
}

}  // namespace metalio::exercise
