// Exercise 07 — the heart of Waker::wake().
//
// Write wake(eventfd): add one to the counter of the (non-blocking) eventfd.
//
//  - An eventfd takes writes of exactly 8 bytes: one std::uint64_t, added
//    to its counter. Anything shorter is refused.
//  - The counter stops just below 2^64 - 1. A write that would pass that
//    fails with WouldBlock instead of waiting. Then nobody has read the
//    counter for a very long time: reset it to zero by reading it (8 bytes),
//    and write again, once.
//  - Any other error (a bad fd, say) is returned to the caller.
#pragma once

#include "metalio/io.hpp"

namespace metalio::exercise {

io::Result<void> wake(int eventfd);

}  // namespace metalio::exercise
