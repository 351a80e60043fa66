// Exercise 02, reference solution.
#include <poll.h>

#include "exercise.hpp"

namespace metalio::exercise {

std::uint32_t interests_to_poll(Interest interests) {
    std::uint32_t bits = 0;  // no edge-triggered bit: poll(2) has none
    if (interests.is_readable()) bits |= POLLIN | POLLRDHUP;
    if (interests.is_writable()) bits |= POLLOUT;
    if (interests.is_priority()) bits |= POLLPRI;
    return bits;
}

bool is_read_closed(std::uint32_t revents) {
    return (revents & POLLHUP) != 0 || ((revents & POLLIN) != 0 && (revents & POLLRDHUP) != 0);
}

}  // namespace metalio::exercise
