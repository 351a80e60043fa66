// Exercise 02, a known-wrong answer: READABLE asks for POLLIN only, so a
// peer's shutdown(SHUT_WR) is never told apart from plain data.
#include <poll.h>

#include "exercise.hpp"

namespace metalio::exercise {

std::uint32_t interests_to_poll(Interest interests) {
    std::uint32_t bits = 0;
    if (interests.is_readable()) bits |= POLLIN;
    if (interests.is_writable()) bits |= POLLOUT;
    if (interests.is_priority()) bits |= POLLPRI;
    return bits;
}

bool is_read_closed(std::uint32_t revents) {
    return (revents & POLLHUP) != 0 || ((revents & POLLIN) != 0 && (revents & POLLRDHUP) != 0);
}

}  // namespace metalio::exercise
