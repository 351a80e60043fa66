// Exercise 04, a known-wrong answer: the stream is returned still
// registered with a selector that is gone, so no other Poll can take it.
#include "exercise.hpp"
#include "metalio/events.hpp"
#include "metalio/registry.hpp"
#include "metalio/sys/selector.hpp"

namespace metalio::exercise {

namespace {

// What the finished handshake left behind: nothing (connected) or its error.
io::Result<void> outcome(const net::TcpStream& stream) {
    const auto pending = stream.take_error();  // SO_ERROR, and clears it
    if (!pending.has_value()) return std::unexpected(pending.error());
    if (pending->has_value()) return std::unexpected(**pending);
    // No error stored, but is there a peer? ENOTCONN if the connect failed
    // in a way that left no error behind.
    if (auto peer = stream.peer_addr(); !peer.has_value()) return std::unexpected(peer.error());
    return {};
}

}  // namespace

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
            result = outcome(*stream);
            break;
        }
    }
    // Registered streams remember their selector (chapter 03): free it for
    // the caller's own, whatever happened.
    if (!result.has_value()) return std::unexpected(result.error());
    return std::move(*stream);
}

}  // namespace metalio::exercise
