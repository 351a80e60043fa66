// Exercise 02, reference solution.
#include <sys/epoll.h>

#include "exercise.hpp"

namespace metalio::exercise {

std::uint32_t interests_to_epoll(Interest interests) {
    std::uint32_t flags = EPOLLET;
    if (interests.is_readable()) flags |= EPOLLIN | EPOLLRDHUP;
    if (interests.is_writable()) flags |= EPOLLOUT;
    if (interests.is_priority()) flags |= EPOLLPRI;
    return flags;
}

bool is_read_closed(std::uint32_t epoll_events) {
    return (epoll_events & EPOLLHUP) != 0 || ((epoll_events & EPOLLIN) != 0 && (epoll_events & EPOLLRDHUP) != 0);
}

}  // namespace metalio::exercise
