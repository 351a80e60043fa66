#include "metalio/rt/tcp_listener.hpp"

namespace metalio::rt {

io::Result<TcpListener> TcpListener::bind(const net::SocketAddr& addr) {
    auto listener = net::TcpListener::bind(addr);
    if (!listener) return std::unexpected(listener.error());
    return from_std(std::move(*listener));
}

io::Result<TcpListener> TcpListener::from_std(net::TcpListener listener) {
    auto registration = Registration::create(listener);
    if (!registration) return std::unexpected(registration.error());
    return TcpListener(std::move(listener), std::move(*registration));
}

// [accept]
Task<io::Result<std::pair<TcpStream, net::SocketAddr>>> TcpListener::accept() {
    auto accepted = co_await registration_.async_io<Direction::Read>([this] { return inner_.accept(); });
    if (!accepted) co_return std::unexpected(accepted.error());
    auto stream = TcpStream::from_std(std::move(accepted->first));
    if (!stream) co_return std::unexpected(stream.error());
    co_return std::pair{std::move(*stream), accepted->second};
}
// [accept]

}  // namespace metalio::rt
