// Exercise 02, a known-wrong answer: chapter 02's epoll mapping copied,
// EPOLLET included. poll(2) has no such bit.
#include <poll.h>
#include <sys/epoll.h>

#include "exercise.hpp"

namespace metalio::exercise {

std::uint32_t interests_to_poll(Interest interests) {
    std::uint32_t bits = EPOLLET;
    if (interests.is_readable()) bits |= EPOLLIN | EPOLLRDHUP;
    if (interests.is_writable()) bits |= EPOLLOUT;
    if (interests.is_priority()) bits |= EPOLLPRI;
    return bits;
}

bool is_read_closed(std::uint32_t revents) {
    return (revents & POLLHUP) != 0 || ((revents & POLLIN) != 0 && (revents & POLLRDHUP) != 0);
}

}  // namespace metalio::exercise
