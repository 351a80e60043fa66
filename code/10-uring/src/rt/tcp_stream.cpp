#include "metalio/rt/ring/tcp_stream.hpp"

namespace metalio::rt::ring {

io::Result<TcpStream> TcpStream::from_std(net::TcpStream stream) {
    IoDriver* driver = IoDriver::current();
    if (driver == nullptr) return std::unexpected(make_error_code(Errc::no_runtime));
    return TcpStream(driver->adopt(std::move(stream)));
}

// [close]
void TcpStream::close() noexcept {
    Socket* socket = std::exchange(socket_, nullptr);
    if (socket == nullptr) return;
    if (socket->driver != nullptr) {
        socket->driver->abandon(*socket);  // frees it now, or after its last completion
    } else {
        delete socket;  // the runtime is gone, and with it every operation
    }
}
// [close]

io::Result<void> TcpStream::shutdown(net::Shutdown how) const noexcept {
    if (socket_ == nullptr) return std::unexpected(make_error_code(Errc::io_closed));
    return socket_->stream->shutdown(how);
}

io::Result<net::SocketAddr> TcpStream::peer_addr() const noexcept {
    if (socket_ == nullptr) return std::unexpected(make_error_code(Errc::io_closed));
    return socket_->stream->peer_addr();
}

io::Result<net::SocketAddr> TcpStream::local_addr() const noexcept {
    if (socket_ == nullptr) return std::unexpected(make_error_code(Errc::io_closed));
    return socket_->stream->local_addr();
}

}  // namespace metalio::rt::ring
