// Exercise 02: your file. The task is in exercise.hpp; run
// `make exercise EX=02` to test it, `make hint EX=02` if stuck.
#include <poll.h>

#include "exercise.hpp"

namespace metalio::exercise {

std::uint32_t interests_to_poll(Interest interests) {
    // TODO: the poll(2) bits for interests.is_readable(), is_writable() and
    //       is_priority().
    (void)interests;
    return 0;
}

bool is_read_closed(std::uint32_t revents) {
    // TODO: the chapter's read-closed rule, in poll(2)'s bits.
    (void)revents;
    return false;
}

}  // namespace metalio::exercise
