// Exercise 03, a known-wrong answer: delegates straight to SourceFd and
// never uses selector_id, so a second Poll accepts the same Pipe.
#include "exercise.hpp"
#include "metalio/posix/source_fd.hpp"

namespace metalio::exercise {

io::Result<void> Pipe::register_(const Registry& registry, Token token, Interest interests) {
    return posix::SourceFd{reader.get()}.register_(registry, token, interests);
}

io::Result<void> Pipe::reregister(const Registry& registry, Token token, Interest interests) {
    return posix::SourceFd{reader.get()}.reregister(registry, token, interests);
}

io::Result<void> Pipe::deregister(const Registry& registry) {
    return posix::SourceFd{reader.get()}.deregister(registry);
}

}  // namespace metalio::exercise
