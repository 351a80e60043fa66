// Stage 08 example: a UDP echo server. It binds 127.0.0.1:13266 (or the port
// given as the first argument; 0 lets the kernel choose), prints the address,
// and sends every datagram back to whoever sent it. With a second argument N
// it exits after echoing N datagrams (the tests use that).
//
// Run it with `make run CH=08` and, in a second terminal:
//     nc -u 127.0.0.1 13266
// Each line you type is one datagram; the server's copy is printed below it.
#include <charconv>
#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

#include "metalio/net/udp_socket.hpp"
#include "metalio/poll.hpp"

using metalio::Events;
using metalio::Interest;
using metalio::Poll;
using metalio::Token;
using metalio::net::SocketAddr;
using metalio::net::UdpSocket;

namespace {

constexpr Token kSocket{0};

int fail(const char* what, const std::error_code& error) {
    std::fprintf(stderr, "%s: %s\n", what, error.message().c_str());
    return 1;
}

bool parse(std::string_view text, auto& out) {
    return std::from_chars(text.data(), text.data() + text.size(), out).ec == std::errc{};
}

}  // namespace

int main(int argc, char** argv) {
    std::uint16_t port = 13266;
    std::optional<unsigned long> limit;
    unsigned long count = 0;
    if ((argc > 1 && !parse(argv[1], port)) || (argc > 2 && !parse(argv[2], limit.emplace()))) {
        std::fprintf(stderr, "usage: %s [port] [datagrams before exiting]\n", argv[0]);
        return 2;
    }
    auto poll = Poll::create();
    if (!poll) return fail("Poll::create", poll.error());
    const auto socket = UdpSocket::bind(SocketAddr::v4({127, 0, 0, 1}, port));
    if (!socket) return fail("bind", socket.error());
    if (auto done = poll->registry().register_(*socket, kSocket, Interest::READABLE); !done) {
        return fail("register", done.error());
    }
    std::printf("echoing datagrams on %s; try: nc -u 127.0.0.1 %u\n", socket->local_addr()->to_string().c_str(),
                static_cast<unsigned>(socket->local_addr()->port()));
    std::fflush(stdout);

    // [echo-loop]
    // 65,507 bytes is the largest UDP payload over IPv4: with this buffer no
    // datagram is ever truncated.
    std::vector<std::byte> buffer(65'507);
    Events events = Events::with_capacity(16);
    while (!limit || count < *limit) {
        if (auto polled = poll->poll(events, std::nullopt); !polled) {
            if (metalio::io::is_interrupted(polled.error())) continue;
            return fail("poll", polled.error());
        }
        // One event can stand for many queued datagrams: receive until
        // WouldBlock. A receive shorter than the buffer is just a short
        // datagram, not a sign that the queue is empty.
        while (!limit || count < *limit) {
            const auto received = socket->recv_from(buffer);
            if (!received) {
                if (metalio::io::is_would_block(received.error())) break;
                return fail("recv_from", received.error());
            }
            const auto [size, sender] = *received;
            std::printf("%zu bytes from %s\n", size, sender.to_string().c_str());
            std::fflush(stdout);
            // UDP may drop datagrams anyway: a reply that does not fit the
            // socket's send buffer right now is dropped rather than queued.
            if (auto sent = socket->send_to(std::span(buffer).first(size), sender); !sent) {
                std::fprintf(stderr, "reply to %s dropped: %s\n", sender.to_string().c_str(),
                             sent.error().message().c_str());
            }
            ++count;
        }
    }
    // [echo-loop]
    return 0;
}
