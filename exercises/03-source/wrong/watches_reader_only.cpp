// Exercise 03, a known-wrong answer: chapter 03's IoSource copied, with the
// reader as its one fd. WRITABLE then watches an end that is never writable.
#include "exercise.hpp"
#include "metalio/posix/source_fd.hpp"

namespace metalio::exercise {

io::Result<void> Pipe::register_(const Registry& registry, Token token, Interest interests) {
    if (auto claimed = selector_id.associate(registry); !claimed) return claimed;
    auto registered = posix::SourceFd{reader.get()}.register_(registry, token, interests);
    if (!registered) (void)selector_id.remove_association(registry);
    reader_registered = registered.has_value();
    return registered;
}

io::Result<void> Pipe::reregister(const Registry& registry, Token token, Interest interests) {
    if (auto checked = selector_id.check_association(registry); !checked) return checked;
    return posix::SourceFd{reader.get()}.reregister(registry, token, interests);
}

io::Result<void> Pipe::deregister(const Registry& registry) {
    if (auto checked = selector_id.check_association(registry); !checked) return checked;
    if (auto done = posix::SourceFd{reader.get()}.deregister(registry); !done) return done;
    reader_registered = false;
    return selector_id.remove_association(registry);
}

}  // namespace metalio::exercise
