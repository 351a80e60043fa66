// FdLeakCheck: fails the current test if it ends with more (or fewer) open
// file descriptors than it started with.
#pragma once

#include <dirent.h>

#include <cstddef>

#include <doctest/doctest.h>

#include "kqueue_settle.hpp"

namespace metalio::test {

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
