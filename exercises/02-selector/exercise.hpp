// Exercise 02 — speak epoll's language.
//
// Two small functions that sit at the heart of the epoll selector:
//
//  1. interests_to_epoll(): the flags to register for a set of interests.
//     Registration is always edge-triggered. READABLE must also ask to hear
//     about the peer shutting down its writing half; WRITABLE and PRIORITY
//     map to one flag each.
//
//  2. is_read_closed(): given the flags epoll_wait reported, is the read half
//     of the source closed? It is when the fd hung up, or when it is readable
//     together with the "peer closed its writing half" flag. (That flag alone
//     does not count: mio only trusts it together with readability.)
#pragma once

#include <cstdint>

#include "metalio/interest.hpp"

namespace metalio::exercise {

std::uint32_t interests_to_epoll(Interest interests);

bool is_read_closed(std::uint32_t epoll_events);

}  // namespace metalio::exercise
