#include "metalio/rt/tcp_stream.hpp"

namespace metalio::rt {

io::Result<TcpStream> TcpStream::from_std(net::TcpStream stream) {
    auto registration = Registration::create(stream);
    if (!registration) return std::unexpected(registration.error());
    return TcpStream(std::move(stream), std::move(*registration));
}

// [connect]
Task<io::Result<TcpStream>> TcpStream::connect(net::SocketAddr addr) {
    auto started = net::TcpStream::connect(addr);
    if (!started) co_return std::unexpected(started.error());
    auto stream = from_std(std::move(*started));
    if (!stream) co_return std::unexpected(stream.error());
    // The connect is done when the socket turns writable; until the first
    // event we know nothing, so do not trust the optimistic readiness.
    stream->registration_.clear(Direction::Write);
    auto outcome = co_await stream->registration_.async_io(
        Direction::Write, [&]() -> io::Result<std::optional<std::error_code>> { return stream->inner_.take_error(); });
    if (!outcome) co_return std::unexpected(outcome.error());
    if (*outcome) co_return std::unexpected(**outcome);
    co_return std::move(*stream);
}
// [connect]

// [read]
Task<io::Result<std::size_t>> TcpStream::read(std::span<std::byte> buffer) {
    return registration_.async_io(Direction::Read, [this, buffer] {
        auto read = inner_.read(buffer);
#if !METALIO_SELECTOR_POLL
        // The short-read rule: the kernel gave less than we asked for, so
        // the socket is empty now. Clearing saves the read that would
        // return WouldBlock. Only with a true edge-triggered selector: the
        // poll(2) selector re-arms only on WouldBlock, so there the next
        // read must see it.
        if (read && *read > 0 && *read < buffer.size()) registration_.clear(Direction::Read);
#endif
        return read;
    });
}
// [read]

Task<io::Result<std::size_t>> TcpStream::write(std::span<const std::byte> data) {
    return registration_.async_io(Direction::Write, [this, data] { return inner_.write(data); });
}

// [write-all]
Task<io::Result<void>> TcpStream::write_all(std::span<const std::byte> data) {
    // One retry loop for the whole buffer: the operation keeps what is left
    // in its own copy of `data` and reports WouldBlock while bytes remain,
    // so async_io parks until the socket is writable again and calls it
    // once more. A short write is progress, not an error.
    return registration_.async_io(Direction::Write, [this, data]() mutable -> io::Result<void> {
        while (!data.empty()) {
            auto written = inner_.write(data);
            if (!written) return std::unexpected(written.error());
            // A socket that takes nothing of a non-empty buffer would loop forever.
            if (*written == 0) return std::unexpected(std::make_error_code(std::errc::io_error));
            data = data.subspan(*written);
        }
        return {};
    });
}
// [write-all]

}  // namespace metalio::rt
