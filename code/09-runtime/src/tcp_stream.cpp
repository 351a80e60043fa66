#include "metalio/rt/tcp_stream.hpp"

namespace metalio::rt {

io::Result<TcpStream> TcpStream::from_std(net::TcpStream stream) {
    auto registration = Registration::create(stream);
    if (!registration) return std::unexpected(registration.error());
    return TcpStream(std::move(stream), std::move(*registration));
}

TcpStream& TcpStream::operator=(TcpStream&& other) noexcept {
    if (this != &other) registration_.replace(inner_, std::move(other.inner_), std::move(other.registration_), this);
    return *this;
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
    auto outcome = co_await stream->registration_.async_io<Direction::Write>(
        [&]() -> io::Result<std::optional<std::error_code>> { return stream->inner_.take_error(); });
    if (!outcome) co_return std::unexpected(outcome.error());
    if (*outcome) co_return std::unexpected(**outcome);
    // No socket error is not yet a connection: a selector may have read
    // (and so cleared) SO_ERROR itself when it reported the failure, as
    // libkqueue does. So also ask for the peer, the check mio's
    // TcpStream::connect documents. We get here only after a write event,
    // and that comes only once the connect has finished, so ENOTCONN now
    // means it failed (its reason is lost); waiting again would never end.
    if (auto peer = stream->inner_.peer_addr(); !peer) co_return std::unexpected(peer.error());
    co_return std::move(*stream);
}
// [connect]

}  // namespace metalio::rt
