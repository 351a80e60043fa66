#include "metalio/rt/ring/tcp_listener.hpp"

namespace metalio::rt::ring {

namespace {

// co_await on the listener's accept: takes a connection kept from a
// cancelled accept, or submits one and parks until it completes.
class AcceptOp : public InputWait<AcceptOp, io::Result<sys::OwnedFd>> {
public:
    explicit AcceptOp(Socket* socket) noexcept : InputWait(socket) {}

    bool take() noexcept {
        Socket& socket = *socket_;
        if (socket.accepted.get() >= 0) {
            result_.emplace(std::move(socket.accepted));
            socket.accepted = sys::OwnedFd(-1);
        } else if (!socket.input.result) {
            result_.emplace(std::unexpected(socket.input.result.error()));
            socket.input.result = 0;
        } else {
            return false;
        }
        return true;
    }
};

}  // namespace

io::Result<TcpListener> TcpListener::bind(const net::SocketAddr& addr) {
    if (IoDriver::current() == nullptr) return std::unexpected(make_error_code(Errc::no_runtime));
    auto listener = net::TcpListener::bind(addr);
    if (!listener) return std::unexpected(listener.error());
    return from_std(std::move(*listener));
}

io::Result<TcpListener> TcpListener::from_std(net::TcpListener listener) {
    IoDriver* driver = IoDriver::current();
    if (driver == nullptr) return std::unexpected(make_error_code(Errc::no_runtime));
    return TcpListener(driver->adopt(std::move(listener)));
}

TcpListener& TcpListener::operator=(TcpListener&& other) noexcept {
    if (this != &other) {
        close();
        socket_ = std::exchange(other.socket_, nullptr);
    }
    return *this;
}

TcpListener::~TcpListener() { close(); }

void TcpListener::close() noexcept {
    Socket* socket = std::exchange(socket_, nullptr);
    if (socket == nullptr) return;
    if (socket->driver != nullptr) {
        socket->driver->abandon(*socket);
    } else {
        delete socket;
    }
}

io::Result<net::SocketAddr> TcpListener::local_addr() const noexcept {
    if (socket_ == nullptr) return std::unexpected(make_error_code(Errc::io_closed));
    return socket_->listener->local_addr();
}

Task<io::Result<std::pair<TcpStream, net::SocketAddr>>> TcpListener::accept() { return accept_on(socket_); }

// [accept]
Task<io::Result<std::pair<TcpStream, net::SocketAddr>>> TcpListener::accept_on(Socket* socket) {
    for (;;) {
        auto accepted = co_await AcceptOp(socket);
        if (!accepted) co_return std::unexpected(accepted.error());
        // The ring's accept gives no address; ask for it. A connection
        // that is already gone has none: drop it and wait for the next.
        auto stream = net::TcpStream::from_raw_fd(accepted->release());
        auto peer = stream.peer_addr();
        if (!peer) continue;
        auto adopted = TcpStream::from_std(std::move(stream));
        if (!adopted) co_return std::unexpected(adopted.error());
        co_return std::pair{std::move(*adopted), *peer};
    }
}
// [accept]

}  // namespace metalio::rt::ring
