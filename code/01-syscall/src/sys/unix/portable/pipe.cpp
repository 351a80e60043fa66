#include "metalio/sys/unix/portable/pipe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "metalio/sys/unix/portable/set_flags.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::sys::portable {

// [pipe-impl]
io::Result<void> pipe(int ends[2]) noexcept {
#if METALIO_HAVE_PIPE2
    if (auto made = METALIO_SYSCALL(pipe2, ends, O_NONBLOCK | O_CLOEXEC); !made) return std::unexpected(made.error());
#else
    if (auto made = METALIO_SYSCALL(pipe, ends); !made) return std::unexpected(made.error());
    for (int i = 0; i < 2; ++i) {
        if (auto set = set_nonblock_cloexec(ends[i]); !set) {
            ::close(ends[0]);
            ::close(ends[1]);
            ends[0] = ends[1] = -1;
            return set;
        }
    }
#endif
    return {};
}
// [pipe-impl]

const char* pipe_call() noexcept { return METALIO_HAVE_PIPE2 ? "pipe2" : "pipe"; }

}  // namespace metalio::sys::portable
