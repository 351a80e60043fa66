// Exercise 03, a known-wrong answer: everything right, but the selector is
// given the write end, which never becomes readable.
#include "exercise.hpp"
#include "metalio/posix/source_fd.hpp"

namespace metalio::exercise {

io::Result<void> Pipe::register_(const Registry& registry, Token token, Interest interests) {
    if (auto claimed = selector_id.associate(registry); !claimed) return claimed;
    auto registered = posix::SourceFd{writer.get()}.register_(registry, token, interests);
    if (!registered) (void)selector_id.remove_association(registry);
    return registered;
}

io::Result<void> Pipe::reregister(const Registry& registry, Token token, Interest interests) {
    if (auto checked = selector_id.check_association(registry); !checked) return checked;
    return posix::SourceFd{writer.get()}.reregister(registry, token, interests);
}

io::Result<void> Pipe::deregister(const Registry& registry) {
    if (auto checked = selector_id.check_association(registry); !checked) return checked;
    if (auto done = posix::SourceFd{writer.get()}.deregister(registry); !done) return done;
    return selector_id.remove_association(registry);
}

}  // namespace metalio::exercise
