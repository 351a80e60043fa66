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

TcpListener& TcpListener::operator=(TcpListener&& other) noexcept {
    if (this != &other) registration_.replace(inner_, std::move(other.inner_), std::move(other.registration_), this);
    return *this;
}

Task<io::Result<std::pair<TcpStream, net::SocketAddr>>> TcpListener::accept() {
    return accept_on(registration_.scheduled_io());
}

// [accept]
Task<io::Result<std::pair<TcpStream, net::SocketAddr>>> TcpListener::accept_on(ScheduledIo* io) {
    auto take_one = [io] { return io->owner<TcpListener>()->inner_.accept(); };
    auto accepted = co_await IoOperation<Direction::Read, decltype(take_one)>(*io, take_one);
    if (!accepted) co_return std::unexpected(accepted.error());
    auto stream = TcpStream::from_std(std::move(accepted->first));
    if (!stream) co_return std::unexpected(stream.error());
    co_return std::pair{std::move(*stream), accepted->second};
}
// [accept]

}  // namespace metalio::rt
