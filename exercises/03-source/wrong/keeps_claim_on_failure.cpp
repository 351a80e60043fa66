// Exercise 03, a known-wrong answer: when the selector refuses, the claim is
// kept, so the Pipe can never be registered again.
#include "exercise.hpp"
#include "metalio/posix/source_fd.hpp"

namespace metalio::exercise {

namespace {

io::Result<void> refuse_priority(Interest interests) {
    if (interests.is_priority()) return std::unexpected(std::make_error_code(std::errc::invalid_argument));
    return {};
}

// Brings one end from `registered` to `wanted`: register, reregister with
// the new token, deregister, or nothing. `registered` follows what happened.
io::Result<void> update(const Registry& registry, int fd, bool& registered, bool wanted, Token token,
                        Interest interest) {
    io::Result<void> done;
    if (wanted && registered) {
        done = posix::SourceFd{fd}.reregister(registry, token, interest);
    } else if (wanted) {
        done = posix::SourceFd{fd}.register_(registry, token, interest);
        if (done) registered = true;
    } else if (registered) {
        done = posix::SourceFd{fd}.deregister(registry);
        if (done) registered = false;
    }
    return done;
}

}  // namespace

io::Result<void> Pipe::register_(const Registry& registry, Token token, Interest interests) {
    if (auto refused = refuse_priority(interests); !refused) return refused;
    if (auto claimed = selector_id.associate(registry); !claimed) return claimed;
    auto done = update(registry, reader.get(), reader_registered, interests.is_readable(), token, Interest::READABLE);
    if (done) done = update(registry, writer.get(), writer_registered, interests.is_writable(), token, Interest::WRITABLE);
    if (!done) {
        // All or nothing: undo the end that made it, give the claim back.
        (void)update(registry, reader.get(), reader_registered, false, token, Interest::READABLE);
    }
    return done;
}

io::Result<void> Pipe::reregister(const Registry& registry, Token token, Interest interests) {
    if (auto refused = refuse_priority(interests); !refused) return refused;
    if (auto checked = selector_id.check_association(registry); !checked) return checked;
    if (auto done = update(registry, reader.get(), reader_registered, interests.is_readable(), token,
                           Interest::READABLE);
        !done) {
        return done;
    }
    return update(registry, writer.get(), writer_registered, interests.is_writable(), token, Interest::WRITABLE);
}

io::Result<void> Pipe::deregister(const Registry& registry) {
    if (auto checked = selector_id.check_association(registry); !checked) return checked;
    if (auto done = update(registry, reader.get(), reader_registered, false, Token{0}, Interest::READABLE); !done) {
        return done;
    }
    if (auto done = update(registry, writer.get(), writer_registered, false, Token{0}, Interest::WRITABLE); !done) {
        return done;
    }
    return selector_id.remove_association(registry);
}

}  // namespace metalio::exercise
