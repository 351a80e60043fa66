// Exercise 06, a known-wrong answer: WRITABLE is added when a queue fills,
// never taken away: the selector reports a writable socket nobody needs.
#include <array>
#include <map>
#include <string>
#include <string_view>

#include "exercise.hpp"
#include "metalio/events.hpp"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/poll.hpp"

namespace metalio::exercise {

namespace {

constexpr Token kListener{0};

struct Client {
    explicit Client(net::TcpStream accepted) : stream(std::move(accepted)) {}

    net::TcpStream stream;
    std::string outbox;        // bytes for this client; the first `sent` are gone
    std::size_t sent = 0;
    bool asks_writable = false;  // what the selector was last told
    bool gone = false;           // dropped at the end of the turn

    [[nodiscard]] std::size_t waiting() const { return outbox.size() - sent; }
};

}  // namespace

struct ChatServer::State {
    State(Poll p, net::TcpListener l, std::size_t limit) : poll(std::move(p)), listener(std::move(l)), max_pending(limit) {}

    Poll poll;
    net::TcpListener listener;
    std::size_t max_pending;
    std::map<std::size_t, Client> clients;  // by token value
    std::size_t next_token = kListener.value + 1;
    Events events = Events::with_capacity(256);

    io::Result<void> accept_all();
    // Reads what the client has; appends it to `into`. False: drop it.
    bool receive(Client& client, std::string& into);
    // Sends what the socket takes. False: drop it.
    bool send(Client& client);
    // Tells the selector about WRITABLE when the queue's state changed.
    bool update_interest(std::size_t token, Client& client);
};

io::Result<void> ChatServer::State::accept_all() {
    for (;;) {
        auto incoming = listener.accept();
        if (!incoming.has_value()) {
            if (io::is_would_block(incoming.error())) return {};
            if (io::is_interrupted(incoming.error())) continue;
            return std::unexpected(incoming.error());
        }
        const std::size_t token = next_token++;
        const auto watched = poll.registry().register_(incoming->first, Token{token}, Interest::READABLE);
        if (!watched.has_value()) continue;  // that client is refused; the stream closes here
        clients.emplace(token, Client(std::move(incoming->first)));
    }
}

bool ChatServer::State::receive(Client& client, std::string& into) {
    std::array<std::byte, 16384> chunk;
    for (;;) {
        const auto got = client.stream.read(chunk);
        if (got.has_value()) {
            if (*got == 0) return false;  // the peer closed: what came before is in `into`
            into.append(reinterpret_cast<const char*>(chunk.data()), *got);
        } else if (io::is_would_block(got.error())) {
            return true;
        } else if (!io::is_interrupted(got.error())) {
            return false;
        }
    }
}

bool ChatServer::State::send(Client& client) {
    while (client.waiting() > 0) {
        const auto put = client.stream.write(std::string_view(client.outbox).substr(client.sent));
        if (put.has_value()) {
            client.sent += *put;
        } else if (io::is_would_block(put.error())) {
            break;
        } else if (!io::is_interrupted(put.error())) {
            return false;
        }
    }
    if (client.waiting() == 0) {
        client.outbox.clear();
        client.sent = 0;
    } else if (client.sent > client.outbox.size() / 2) {
        client.outbox.erase(0, client.sent);
        client.sent = 0;
    }
    return true;
}

bool ChatServer::State::update_interest(std::size_t token, Client& client) {
    const bool wants = client.waiting() > 0 || client.asks_writable;
    if (wants == client.asks_writable) return true;
    const Interest interest = wants ? (Interest::READABLE | Interest::WRITABLE) : Interest::READABLE;
    if (!poll.registry().reregister(client.stream, Token{token}, interest).has_value()) return false;
    client.asks_writable = wants;
    return true;
}

ChatServer::ChatServer(std::unique_ptr<State> state) noexcept : state_(std::move(state)) {}
ChatServer::ChatServer(ChatServer&&) noexcept = default;
ChatServer& ChatServer::operator=(ChatServer&&) noexcept = default;
ChatServer::~ChatServer() = default;

io::Result<ChatServer> ChatServer::bind(const net::SocketAddr& addr, std::size_t max_pending) {
    auto poll = Poll::create();
    if (!poll.has_value()) return std::unexpected(poll.error());
    auto listener = net::TcpListener::bind(addr);
    if (!listener.has_value()) return std::unexpected(listener.error());
    if (auto watched = poll->registry().register_(*listener, kListener, Interest::READABLE); !watched.has_value()) {
        return std::unexpected(watched.error());
    }
    return ChatServer(std::make_unique<State>(std::move(*poll), std::move(*listener), max_pending));
}

io::Result<void> ChatServer::turn(std::chrono::milliseconds timeout) {
    State& s = *state_;
    if (auto polled = s.poll.poll(s.events, timeout); !polled.has_value()) {
        if (io::is_interrupted(polled.error())) return {};  // a signal: nothing happened
        return std::unexpected(polled.error());
    }
    for (const Event event : s.events) {
        if (event.token() == kListener) {
            if (auto accepted = s.accept_all(); !accepted.has_value()) return accepted;
            continue;
        }
        const auto found = s.clients.find(event.token().value);
        if (found == s.clients.end() || found->second.gone) continue;
        Client& from = found->second;
        if (event.is_writable() && !s.send(from)) from.gone = true;
        if (!event.is_readable() && !event.is_read_closed() && !event.is_error()) continue;
        std::string said;
        if (!s.receive(from, said)) from.gone = true;
        if (said.empty()) continue;
        for (auto& [token, to] : s.clients) {
            if (&to == &from || to.gone) continue;
            to.outbox += said;
            if (!s.send(to)) to.gone = true;
        }
    }
    // Interests, the backpressure limit, and the clients that are gone.
    for (auto at = s.clients.begin(); at != s.clients.end();) {
        auto& [token, client] = *at;
        if (!client.gone && client.waiting() > s.max_pending) client.gone = true;  // not reading: cut off
        if (!client.gone && !s.update_interest(token, client)) client.gone = true;
        if (client.gone) {
            (void)s.poll.registry().deregister(client.stream);
            at = s.clients.erase(at);
        } else {
            ++at;
        }
    }
    return {};
}

io::Result<net::SocketAddr> ChatServer::local_addr() const { return state_->listener.local_addr(); }

std::size_t ChatServer::clients() const { return state_->clients.size(); }

const Poll& ChatServer::poll() const { return state_->poll; }

}  // namespace metalio::exercise
