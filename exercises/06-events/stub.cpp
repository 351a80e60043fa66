// Exercise 06: your file. The task is in exercise.hpp; run
// `make exercise EX=06` to test it, `make hint EX=06` if stuck.
#include <unordered_map>

#include "exercise.hpp"
#include "metalio/events.hpp"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/poll.hpp"

namespace metalio::exercise {

struct ChatServer::State {
    Poll poll;  // the server's own
    // TODO: the listener, the clients (stream and queue, by token), the
    //       next token, max_pending, an Events buffer; a constructor.
};

ChatServer::ChatServer(std::unique_ptr<State> state) noexcept : state_(std::move(state)) {}
ChatServer::ChatServer(ChatServer&&) noexcept = default;
ChatServer& ChatServer::operator=(ChatServer&&) noexcept = default;
ChatServer::~ChatServer() = default;

io::Result<ChatServer> ChatServer::bind(const net::SocketAddr& addr, std::size_t max_pending) {
    // TODO: Poll, listener, register the listener.
    (void)addr;
    (void)max_pending;
    return std::unexpected(std::make_error_code(std::errc::function_not_supported));
}

io::Result<void> ChatServer::turn(std::chrono::milliseconds timeout) {
    // TODO: poll once; accept; read and queue for the others; send; adjust interests.
    (void)timeout;
    return std::unexpected(std::make_error_code(std::errc::function_not_supported));
}

io::Result<net::SocketAddr> ChatServer::local_addr() const {
    return std::unexpected(std::make_error_code(std::errc::function_not_supported));
}

std::size_t ChatServer::clients() const { return 0; }

const Poll& ChatServer::poll() const { return state_->poll; }

}  // namespace metalio::exercise
