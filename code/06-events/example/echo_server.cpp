// Stage 06 example: the article's server on metalio. It greets each client
// with "Hello world!", prints what the client sends, and notices the close.
//
// Run it with `make run CH=06` (or pass another address: ARGS=127.0.0.1:0),
// then in a second terminal: nc -N 127.0.0.1 13265 (end with Ctrl-D)
#include <cstdio>
#include <string>
#include <unordered_map>

#include "connection.hpp"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/poll.hpp"

using metalio::Event;
using metalio::Events;
using metalio::Interest;
using metalio::Poll;
using metalio::Token;
using metalio::net::SocketAddr;
using metalio::net::TcpListener;

namespace {

// [tokens]
constexpr Token kServer{0};
constexpr std::string_view kGreeting = "Hello world!\n";
// [tokens]

int fail(const char* what, const std::error_code& error) {
    std::fprintf(stderr, "%s: %s\n", what, error.message().c_str());
    return 1;
}

// Prints what a client sent the way the article does: as text, trimmed.
// Non-printable data is summarised instead of dumped.
void print_received(const std::string& data) {
    std::size_t end = data.size();
    while (end > 0 && (data[end - 1] == '\n' || data[end - 1] == '\r' || data[end - 1] == ' ')) --end;
    bool text = true;
    for (std::size_t i = 0; i < end; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') text = false;
    }
    if (text) {
        std::printf("Received data: %.*s\n", static_cast<int>(end), data.data());
    } else {
        std::printf("Received (non-text) data: %zu bytes\n", data.size());
    }
}

// [handle]
// Returns true when the connection is done and can be dropped.
metalio::io::Result<bool> handle_connection_event(const metalio::Registry& registry, echo::Connection& connection,
                                                  const Event& event) {
    if (event.is_writable() && connection.has_pending()) {
        if (auto flushed = connection.flush(); !flushed) return std::unexpected(flushed.error());
        if (!connection.has_pending()) {
            // Everything is sent: from now on only reads interest us.
            auto changed = registry.reregister(connection.stream(), event.token(), Interest::READABLE);
            if (!changed) return std::unexpected(changed.error());
        }
    }
    if (event.is_readable()) {
        std::string received;
        const auto closed = connection.read_until_short(received, event.is_read_closed());
        if (!closed) return std::unexpected(closed.error());
        if (!received.empty()) print_received(received);
        if (*closed) {
            std::printf("Connection closed\n");
            return true;
        }
    }
    return false;
}
// [handle]

// [accept]
// One readable event on the listener may stand for many connections: accept
// until WouldBlock, or the others wait for a new edge that may never come.
metalio::io::Result<void> accept_connections(const metalio::Registry& registry, const TcpListener& server,
                                             std::unordered_map<Token, echo::Connection>& connections,
                                             Token& unique_token) {
    for (;;) {
        auto accepted = server.accept();
        if (!accepted) {
            if (metalio::io::is_would_block(accepted.error())) return {};
            if (metalio::io::is_interrupted(accepted.error())) continue;
            return std::unexpected(accepted.error());
        }
        auto& [stream, peer] = *accepted;
        std::printf("Accepted connection from: %s\n", peer.to_string().c_str());
        const Token token = unique_token;
        unique_token.value += 1;
        const Interest both = Interest::READABLE | Interest::WRITABLE;
        if (auto registered = registry.register_(stream, token, both); !registered) return registered;
        connections.try_emplace(token, std::move(stream)).first->second.queue(kGreeting);
    }
}
// [accept]

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // one line at a time, also into a pipe

    // [setup]
    auto poll = Poll::create();
    if (!poll) return fail("Poll::create", poll.error());
    Events events = Events::with_capacity(128);

    const auto addr = SocketAddr::parse(argc > 1 ? argv[1] : "127.0.0.1:13265");
    if (!addr) return fail("address", addr.error());
    auto server = TcpListener::bind(*addr);
    if (!server) return fail("TcpListener::bind", server.error());
    if (auto done = poll->registry().register_(*server, kServer, Interest::READABLE); !done) {
        return fail("register", done.error());
    }
    std::unordered_map<Token, echo::Connection> connections;
    Token unique_token{kServer.value + 1};
    // [setup]

    const auto bound = server->local_addr();
    if (!bound) return fail("local_addr", bound.error());
    std::printf("You can connect to the server using `nc`:\n");
    // "127.0.0.1:13265" or "[::1]:13265" -> host and port for nc.
    std::string host = bound->to_string();
    host.erase(host.rfind(':'));
    if (host.front() == '[') host = host.substr(1, host.size() - 2);
    // -N: Debian's (OpenBSD) nc then shuts down its write half at Ctrl-D,
    // so the server sees end-of-file; without it only Ctrl-C ends nc.
    std::printf(" $ nc -N %s %u\n", host.c_str(), static_cast<unsigned>(bound->port()));
    std::printf("You'll see our welcome message and anything you type will be printed here;\n");
    std::printf("Ctrl-D in nc closes the connection.\n");

    // [loop]
    for (;;) {
        if (auto polled = poll->poll(events, std::nullopt); !polled) {
            if (metalio::io::is_interrupted(polled.error())) continue;  // a signal: poll again
            return fail("poll", polled.error());
        }
        for (const Event& event : events) {
            if (event.token() == kServer) {
                auto accepted = accept_connections(poll->registry(), *server, connections, unique_token);
                if (!accepted) return fail("accept", accepted.error());
                continue;
            }
            const auto found = connections.find(event.token());
            if (found == connections.end()) continue;  // sporadic events happen
            const auto done = handle_connection_event(poll->registry(), found->second, event);
            if (!done) {
                std::printf("Connection error: %s\n", done.error().message().c_str());
                connections.erase(found);
            } else if (*done) {
                connections.erase(found);
            }
        }
    }
    // [loop]
}
