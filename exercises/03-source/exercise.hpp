// Exercise 03 — your own Source.
//
// A Registry accepts anything that satisfies the metalio::Source concept:
// three member functions, register_, reregister and deregister, which the
// Registry calls with itself as the first argument. Make Pipe one, so that
// `registry.register_(pipe, token, Interest::READABLE)` works.
//
//  - A Pipe owns both ends of a pipe. What a reader waits for is the read
//    end, so that is the fd the selector must watch.
//  - Do not call the selector yourself: delegate to posix::SourceFd, the
//    bridge from the Source world to the selector, which only knows fds.
//  - Use selector_id the way IoSource does, so that a Pipe registered with
//    one Poll cannot silently be registered with a second one:
//      register_:  claim it first (associate); if the selector then refuses,
//                  give the claim back (remove_association), or the Pipe
//                  stays "registered" although the selector never saw it;
//      reregister: check the claim (check_association) first;
//      deregister: check the claim, deregister, then forget the claim.
//  - Every error, from selector_id or from the selector, goes back to the
//    caller unchanged.
#pragma once

#include "metalio/registry.hpp"
#include "metalio/selector_id.hpp"
#include "metalio/sys/owned_fd.hpp"

namespace metalio::exercise {

struct Pipe {
    sys::OwnedFd reader{-1};  // read from here: the end to register
    sys::OwnedFd writer{-1};  // write here
    SelectorId selector_id;   // which selector this Pipe is registered with

    io::Result<void> register_(const Registry& registry, Token token, Interest interests);
    io::Result<void> reregister(const Registry& registry, Token token, Interest interests);
    io::Result<void> deregister(const Registry& registry);
};

}  // namespace metalio::exercise
