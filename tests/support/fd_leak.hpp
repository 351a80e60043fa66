// FdLeakCheck: fails the current test if it ends with more (or fewer) open
// file descriptors than it started with.
#pragma once

#include <dirent.h>

#include <cstddef>

#include <doctest/doctest.h>

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

/// Open descriptors of this process, from /proc/self/fd.
inline std::size_t open_fd_count() {
    settle_kqueue_library();
    std::size_t count = 0;
    if (DIR* dir = ::opendir("/proc/self/fd")) {
        while (const dirent* entry = ::readdir(dir)) {
            if (entry->d_name[0] != '.') ++count;
        }
        ::closedir(dir);
        --count;  // the descriptor opendir itself holds
    }
    return count;
}

/// Put one at the top of a test case: its destructor checks the count.
class FdLeakCheck {
public:
    FdLeakCheck() : before_(open_fd_count()) {}
    FdLeakCheck(const FdLeakCheck&) = delete;
    FdLeakCheck& operator=(const FdLeakCheck&) = delete;
    ~FdLeakCheck() {
        const std::size_t after = open_fd_count();
        CHECK_MESSAGE(after == before_, "file descriptors leaked: ", before_, " open before the test, ", after,
                      " after");
    }

private:
    std::size_t before_;
};

}  // namespace metalio::test
