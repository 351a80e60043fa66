// Exercise 02 — the other selector's language.
//
// Chapter 02 prints how the epoll selector turns interests into flags and
// reported flags back into answers. The poll(2) selector does the same job
// with poll(2)'s `events` and `revents` bits; the chapter explains its rules
// but does not print them. Write them (`man 2 poll` lists the bits):
//
//  1. interests_to_poll(): the `events` bits to ask poll(2) for. poll(2) has
//     no edge-triggered mode (the poll selector emulates it in user space),
//     so nothing but interest bits belongs here. READABLE must also hear
//     about the peer shutting down its writing half: Linux's poll(2) has a
//     bit for that too.
//
//  2. is_read_closed(): given the `revents` poll(2) reported, is the read
//     half of the source closed? The rule is the one the chapter gives for
//     epoll, in poll's bits.
#pragma once

#include <cstdint>

#include "metalio/interest.hpp"

namespace metalio::exercise {

std::uint32_t interests_to_poll(Interest interests);

bool is_read_closed(std::uint32_t revents);

}  // namespace metalio::exercise
