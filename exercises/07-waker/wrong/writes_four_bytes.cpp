// Exercise 07, a known-wrong answer: writes an int (4 bytes); an eventfd
// only takes 8-byte writes and refuses this one with EINVAL.
#include <unistd.h>

#include "exercise.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<void> wake(int eventfd) {
    const int one = 1;
    auto written = METALIO_SYSCALL(write, eventfd, &one, sizeof one);
    if (!written && io::is_would_block(written.error())) {
        int count = 0;
        (void)METALIO_SYSCALL(read, eventfd, &count, sizeof count);
        written = METALIO_SYSCALL(write, eventfd, &one, sizeof one);
    }
    if (!written) return std::unexpected(written.error());
    return {};
}

}  // namespace metalio::exercise
