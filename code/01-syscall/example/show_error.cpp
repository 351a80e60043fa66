// Stage 01 example: one real failing system call, seen through the wrapper.
//
// Run it with `make run CH=01`.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "metalio/sys/owned_fd.hpp"
#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/pipe.hpp"

using metalio::io::Result;

int main() {
    // [failing-call]
    // Opening a path that does not exist: libc returns -1 and sets errno.
    const Result<int> missing = METALIO_SYSCALL(open, "/no/such/file", O_RDONLY | O_CLOEXEC);
    if (!missing) {
        std::printf("open(\"/no/such/file\") failed: %s (errno %d, category %s)\n",
                    missing.error().message().c_str(), missing.error().value(),
                    missing.error().category().name());
    }
    // [failing-call]

    // [would-block]
    // Reading an empty non-blocking pipe: the error every event loop lives on.
    // (sys::portable::pipe is pipe2 where the system has it, pipe + fcntl
    // where it does not: macOS.)
    int ends[2];
    if (const auto made = metalio::sys::portable::pipe(ends); !made) {
        std::printf("%s failed: %s\n", metalio::sys::portable::pipe_call(), made.error().message().c_str());
        return 1;
    }
    const metalio::sys::OwnedFd reader(ends[0]);
    const metalio::sys::OwnedFd writer(ends[1]);
    char byte = 0;
    const auto read = METALIO_SYSCALL(read, reader.get(), &byte, 1);
    std::printf("read() on an empty non-blocking pipe: %s -> is_would_block = %s\n",
                read ? "succeeded?!" : read.error().message().c_str(),
                !read && metalio::io::is_would_block(read.error()) ? "true" : "false");
    // [would-block]

    // [success]
    const auto written = METALIO_SYSCALL(write, writer.get(), "x", 1);
    std::printf("write() of 1 byte returned a value: %zd\n", written.value_or(-1));
    // [success]
    return 0;
}
