// settle_kqueue_library(): what an open-descriptor count must do first in
// the kqueue build on Linux. No doctest here: the fuzz harness uses it too.
#pragma once

#if METALIO_SELECTOR_KQUEUE && defined(__linux__)
#include <unistd.h>

// libkqueue (the kqueue of the Linux kqueue build) keeps two descriptors of
// its own for the whole process once the first kqueue is made, and frees a
// closed kqueue's descriptors on its monitoring thread, a moment after
// close(). libkqueue_drain_pending_close waits for that; it is not in
// libkqueue's header, and older libkqueues lack it. Both are weak: null in
// a test program that does not link libkqueue (stage 01) or lacks the call.
extern "C" __attribute__((weak)) int kqueue(void);
extern "C" __attribute__((weak)) void libkqueue_drain_pending_close(void);
#endif

namespace metalio::test {

/// Lets libkqueue finish freeing closed kqueues (kqueue build on Linux only).
inline void settle_kqueue_library() {
#if METALIO_SELECTOR_KQUEUE && defined(__linux__)
    // The first call makes (and closes) one kqueue, so that libkqueue's
    // process-wide descriptors exist before any test counts.
    static const bool primed = [] {
        const int kq = &::kqueue != nullptr ? ::kqueue() : -1;
        if (kq >= 0) ::close(kq);
        return true;
    }();
    (void)primed;
    if (&libkqueue_drain_pending_close != nullptr) libkqueue_drain_pending_close();
#endif
}

}  // namespace metalio::test
