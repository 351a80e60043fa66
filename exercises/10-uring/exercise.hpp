// Exercise 10 — take a buffer back from the kernel.
//
// A recv is in flight on `driver`: it owns a Buffer, and the kernel may
// write into it at any moment. Write take_back(driver, recv, recv_token,
// others): cancel that recv and return its Buffer.
//
//  - Ask the kernel to cancel it with driver.cancel(recv, kCancelToken).
//  - The Buffer comes back only in the recv's own Completion (the one with
//    recv_token): with ECANCELED if the cancel won, or with the bytes it
//    received (len() set) if the recv finished first. Keep those bytes.
//  - The cancel has a Completion of its own, which may come before or
//    after the recv's. Return only once both have come back, so that the
//    driver has nothing of yours in flight (driver.in_flight() drops by 2).
//  - Completions of other operations may arrive meanwhile: they are not
//    yours to drop. Append them to `others`, in the order they came.
//  - If a call of the driver fails, return its error.
//
// Use driver.cancel, driver.next and driver.submit_and_wait only.
#pragma once

#include <vector>

#include "metalio/uring/driver.hpp"

namespace metalio::exercise {

/// The token of the cancel request (no other operation uses it).
inline constexpr Token kCancelToken{0xCA9CE1};

io::Result<uring::Buffer> take_back(uring::Driver& driver, uring::OpId recv, Token recv_token,
                                    std::vector<uring::Completion>& others);

}  // namespace metalio::exercise
