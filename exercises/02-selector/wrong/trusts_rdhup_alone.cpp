// Exercise 02, a known-wrong answer: the bits are right, but POLLRDHUP
// alone is taken as "read closed".
#include <poll.h>

#include "exercise.hpp"

namespace metalio::exercise {

std::uint32_t interests_to_poll(Interest interests) {
    std::uint32_t bits = 0;
    if (interests.is_readable()) bits |= POLLIN | POLLRDHUP;
    if (interests.is_writable()) bits |= POLLOUT;
    if (interests.is_priority()) bits |= POLLPRI;
    return bits;
}

bool is_read_closed(std::uint32_t revents) { return (revents & (POLLHUP | POLLRDHUP)) != 0; }

}  // namespace metalio::exercise
