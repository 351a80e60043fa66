// Exercise 07: your file. The task is in exercise.hpp; run
// `make exercise EX=07` to test it, `make hint EX=07` if stuck.
#include <fcntl.h>
#include <unistd.h>

#include "exercise.hpp"
#include "metalio/posix/source_fd.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<PipeWaker> PipeWaker::create(const Registry& registry, Token token) {
    // TODO: the pipe, the registration of its read end, a registry clone.
    (void)registry;
    (void)token;
    return std::unexpected(std::make_error_code(std::errc::function_not_supported));
}

io::Result<void> PipeWaker::wake() const {
    // TODO: one byte into writer_; a full pipe is not an error.
    return std::unexpected(std::make_error_code(std::errc::function_not_supported));
}

io::Result<void> PipeWaker::reset() const {
    // TODO: empty reader_, then make the next wake visible.
    return std::unexpected(std::make_error_code(std::errc::function_not_supported));
}

PipeWaker::~PipeWaker() {
    // TODO: deregister reader_ (unless this PipeWaker was moved from).
}

}  // namespace metalio::exercise
