// Exercise 07, reference solution.
#include <unistd.h>

#include <cstdint>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<void> wake(int eventfd) {
    const std::uint64_t one = 1;
    auto written = METALIO_SYSCALL(write, eventfd, &one, sizeof one);
    if (!written && io::is_would_block(written.error())) {
        std::uint64_t count = 0;
        const auto reset = METALIO_SYSCALL(read, eventfd, &count, sizeof count);
        if (!reset && !io::is_would_block(reset.error())) return std::unexpected(reset.error());
        written = METALIO_SYSCALL(write, eventfd, &one, sizeof one);
    }
    if (!written) return std::unexpected(written.error());
    return {};
}

}  // namespace metalio::exercise
