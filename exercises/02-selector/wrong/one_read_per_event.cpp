// Exercise 02, a known-wrong answer: one read per event. The selector is
// edge-triggered: bytes left in the pipe make no second event (and
// nothing here re-arms the fd, which would have hidden the mistake).
#include <unistd.h>

#include <array>

#include "exercise.hpp"
#include "metalio/events.hpp"
#include "metalio/sys/selector.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

namespace {

enum class Drained { later, finished };

// Reads `fd` until it has nothing more for now, or nothing more ever.
io::Result<Drained> read_available(int fd, std::string& into) {
    std::array<char, 4096> chunk;
    for (;;) {
        const auto got = METALIO_SYSCALL(read, fd, chunk.data(), chunk.size());
        if (!got.has_value()) {
            if (io::is_interrupted(got.error())) continue;
            if (io::is_would_block(got.error())) return Drained::later;
            return std::unexpected(got.error());
        }
        if (*got == 0) return Drained::finished;
        into.append(chunk.data(), static_cast<std::size_t>(*got));
        return Drained::later;
    }
}

}  // namespace

io::Result<std::vector<std::string>> gather(std::span<const int> readers, std::chrono::milliseconds idle_timeout) {
    std::vector<std::string> out(readers.size());
    auto selector = sys::Selector::create();
    if (!selector.has_value()) return std::unexpected(selector.error());
    // Token i is readers[i]: the token is the index into `out`.
    for (std::size_t i = 0; i < readers.size(); ++i) {
        const auto added = selector->register_(readers[i], Token{i}, Interest::READABLE);
        if (!added.has_value()) return std::unexpected(added.error());
    }
    std::size_t open = readers.size();
    // Fewer slots than pipes is fine: what does not fit is reported next time.
    Events events = Events::with_capacity(8);
    while (open > 0) {
        const auto waited = selector->select(events, idle_timeout);
        if (!waited.has_value()) {
            if (io::is_interrupted(waited.error())) continue;
            return std::unexpected(waited.error());
        }
        if (events.empty()) return std::unexpected(std::make_error_code(std::errc::timed_out));
        for (const Event event : events) {
            const std::size_t which = event.token().value;
            const int fd = readers[which];
            const auto state = read_available(fd, out[which]);
            if (!state.has_value()) return std::unexpected(state.error());
            if (*state == Drained::finished) {
                if (auto removed = selector->deregister(fd); !removed.has_value()) return std::unexpected(removed.error());
                --open;
            }
        }
    }
    return out;
}

}  // namespace metalio::exercise
