// Exercise 02: your file. The task is in exercise.hpp; run
// `make exercise EX=02` to test it, `make hint EX=02` if stuck.
#include <sys/epoll.h>

#include "exercise.hpp"

namespace metalio::exercise {

std::uint32_t interests_to_epoll(Interest interests) {
    // TODO: start from the edge-triggered flag, then add flags for each of
    //       interests.is_readable(), is_writable() and is_priority().
    (void)interests;
    return 0;
}

bool is_read_closed(std::uint32_t epoll_events) {
    // TODO: EPOLLHUP, or EPOLLIN together with EPOLLRDHUP.
    (void)epoll_events;
    return false;
}

}  // namespace metalio::exercise
