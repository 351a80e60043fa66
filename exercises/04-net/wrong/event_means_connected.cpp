// Exercise 04, a known-wrong answer: the first event is taken for a
// connection; a refused connect is reported by an event too.
#include "exercise.hpp"
#include "metalio/events.hpp"
#include "metalio/registry.hpp"
#include "metalio/sys/selector.hpp"

namespace metalio::exercise {

io::Result<net::TcpStream> connect_within(const net::SocketAddr& addr, std::chrono::milliseconds timeout) {
    auto waiter = sys::Selector::create();
    if (!waiter.has_value()) return std::unexpected(waiter.error());
    // Only Poll may wait through a Registry: this function waits on the
    // selector itself and registers through a Registry of its clone.
    auto twin = waiter->try_clone();
    if (!twin.has_value()) return std::unexpected(twin.error());
    const Registry registry(std::move(*twin));
    auto stream = net::TcpStream::connect(addr);
    if (!stream.has_value()) return std::unexpected(stream.error());
    constexpr Token kMine{1};
    // The end of a connect, made or refused, is reported as writable.
    if (auto watched = registry.register_(*stream, kMine, Interest::WRITABLE); !watched.has_value()) {
        return std::unexpected(watched.error());
    }
    Events events = Events::with_capacity(4);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    io::Result<void> result = std::unexpected(std::make_error_code(std::errc::timed_out));
    for (;;) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::nanoseconds::zero()) break;
        const auto waited = waiter->select(events, left);
        if (!waited.has_value() && !io::is_interrupted(waited.error())) {
            result = std::unexpected(waited.error());
            break;
        }
        if (waited.has_value() && !events.empty()) {
            result = {};
            break;
        }
    }
    // Registered streams remember their selector (chapter 03): free it for
    // the caller's own, whatever happened.
    (void)registry.deregister(*stream);
    if (!result.has_value()) return std::unexpected(result.error());
    return std::move(*stream);
}

}  // namespace metalio::exercise
