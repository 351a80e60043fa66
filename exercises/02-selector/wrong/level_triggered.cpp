// Exercise 02, a known-wrong answer: forgets EPOLLET, so epoll reports the
// same readiness on every wait until the data is read.
#include <sys/epoll.h>

#include "exercise.hpp"

namespace metalio::exercise {

std::uint32_t interests_to_epoll(Interest interests) {
    std::uint32_t flags = 0;
    if (interests.is_readable()) flags |= EPOLLIN | EPOLLRDHUP;
    if (interests.is_writable()) flags |= EPOLLOUT;
    if (interests.is_priority()) flags |= EPOLLPRI;
    return flags;
}

bool is_read_closed(std::uint32_t epoll_events) {
    return (epoll_events & EPOLLHUP) != 0 || ((epoll_events & EPOLLIN) != 0 && (epoll_events & EPOLLRDHUP) != 0);
}

}  // namespace metalio::exercise
