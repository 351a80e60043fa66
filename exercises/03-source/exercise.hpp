// Exercise 03 — a source with two fds.
//
// A Registry accepts anything that satisfies the metalio::Source concept:
// register_, reregister and deregister, called with the Registry itself.
// Chapter 03 shows IoSource, which watches one fd. A Pipe owns two: what
// can be read comes out of `reader`, what can be written goes into
// `writer`. Make Pipe a Source that watches the end each interest is about:
//
//  - READABLE watches `reader` (for READABLE), WRITABLE watches `writer`
//    (for WRITABLE), both under the caller's token; READABLE | WRITABLE
//    watches both. PRIORITY means nothing for a pipe: refuse any interests
//    that contain it with std::errc::invalid_argument, before anything else.
//  - Hand each fd to posix::SourceFd; never call the selector yourself.
//    Keep `reader_registered` / `writer_registered` true exactly while that
//    end is registered.
//  - selector_id as in IoSource: register_ claims first (associate);
//    reregister and deregister check the claim first (check_association);
//    deregister forgets it last (remove_association).
//  - register_ is all or nothing: if the selector refuses an end, nothing of
//    this call stays registered and the claim is given back, and the
//    selector's error is returned unchanged.
//  - reregister may change which ends are watched: an end still wanted gets
//    the new token, an end no longer wanted is deregistered, a newly wanted
//    end is registered.
#pragma once

#include "metalio/registry.hpp"
#include "metalio/selector_id.hpp"
#include "metalio/sys/owned_fd.hpp"

namespace metalio::exercise {

struct Pipe {
    sys::OwnedFd reader{-1};         // read from here: watched for READABLE
    sys::OwnedFd writer{-1};         // write here: watched for WRITABLE
    SelectorId selector_id;          // which selector this Pipe is registered with
    bool reader_registered = false;  // is `reader` registered right now?
    bool writer_registered = false;  // is `writer` registered right now?

    io::Result<void> register_(const Registry& registry, Token token, Interest interests);
    io::Result<void> reregister(const Registry& registry, Token token, Interest interests);
    io::Result<void> deregister(const Registry& registry);
};

}  // namespace metalio::exercise
