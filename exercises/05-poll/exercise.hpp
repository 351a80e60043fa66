// Exercise 05 — wait for one token, the patient way.
//
// Write wait_for_token(): poll until an event with the token `wanted`
// arrives (return true) or `timeout` has passed without one (return false).
//
//  - Events of other tokens do not end the wait: ignore them and keep
//    waiting for whatever time is left, not for a fresh `timeout`.
//  - A signal ends poll() early with an error for which
//    io::is_interrupted() is true. That is not a failure: poll again,
//    again only for the time that is left.
//  - Any other error is a real one: return it.
//  - Sleep in the kernel, not in a loop: give poll() the time that is left.
//    Polling with a zero timeout until the deadline gives the right answer
//    and burns a whole CPU core doing it.
//  - Poll at least once, even with a zero timeout: a token that is ready
//    right now must be found. Once no time is left, that last poll uses a
//    zero timeout, never a negative one (poll() refuses those with
//    Errc::negative_timeout).
#pragma once

#include <chrono>

#include "metalio/poll.hpp"

namespace metalio::exercise {

io::Result<bool> wait_for_token(Poll& poll, Events& events, Token wanted, std::chrono::milliseconds timeout);

}  // namespace metalio::exercise
