// Exercise 07, reference solution.
#include <fcntl.h>
#include <unistd.h>

#include "exercise.hpp"
#include "metalio/posix/source_fd.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<PipeWaker> PipeWaker::create(const Registry& registry, Token token) {
    int raw[2] = {-1, -1};
    const auto opened = METALIO_SYSCALL(pipe2, raw, O_CLOEXEC | O_NONBLOCK);
    if (!opened.has_value()) return std::unexpected(opened.error());
    sys::OwnedFd reader(raw[0]);
    sys::OwnedFd writer(raw[1]);
    // Clone first: when registering is the last step, a failure needs no undo.
    auto clone = registry.try_clone();
    if (!clone.has_value()) return std::unexpected(clone.error());
    const auto watched = registry.register_(posix::SourceFd{reader.get()}, token, Interest::READABLE);
    if (!watched.has_value()) return std::unexpected(watched.error());
    return PipeWaker(std::move(*clone), token, std::move(reader), std::move(writer));
}

io::Result<void> PipeWaker::wake() const {
    const unsigned char byte = 0;
    const auto sent = METALIO_SYSCALL(write, writer_.get(), &byte, std::size_t{1});
    // Full: 64 KiB of wakes nobody has collected. The reader is bound to
    // see the token and call reset(), so this wake is not lost.
    if (sent.has_value() || io::is_would_block(sent.error())) return {};
    return std::unexpected(sent.error());
}

io::Result<void> PipeWaker::reset() const {
    unsigned char sink[512];
    for (;;) {
        const auto got = METALIO_SYSCALL(read, reader_.get(), sink, sizeof sink);
        if (got.has_value()) continue;  // (0 cannot happen: we own the writer)
        if (io::is_interrupted(got.error())) continue;
        if (io::is_would_block(got.error())) break;
        return std::unexpected(got.error());
    }
    // Edge triggering by hand (the poll(2) selector) disarmed the fd when it
    // reported it; a reregister arms it again. epoll takes it as a no-op.
    return registry_.reregister(posix::SourceFd{reader_.get()}, token_, Interest::READABLE);
}

PipeWaker::~PipeWaker() {
    if (reader_.get() < 0) return;  // moved from
    (void)registry_.deregister(posix::SourceFd{reader_.get()});
}

}  // namespace metalio::exercise
