// Stage 04 example: a TCP server for exactly one client. It listens on
// 127.0.0.1:13265 (or the port given as the first argument), waits for a
// connection, greets it, prints whatever the client sends until the client
// closes, and exits.
//
// Run it with `make run CH=04` and, in a second terminal, talk to it with
//     nc -N 127.0.0.1 13265
// type a few lines, then Ctrl-D (-N makes OpenBSD nc shut the connection
// down at end of input; without it, end nc with Ctrl-C).
//
// There is no Poll yet (chapter 05), so the loop waits on a Registry's
// selector directly, as the stage 03 example does.
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "metalio/events.hpp"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/registry.hpp"

using metalio::Interest;
using metalio::Token;
using metalio::net::SocketAddr;
using metalio::net::TcpListener;
using metalio::net::TcpStream;

namespace {

constexpr Token kServer{0};
constexpr Token kClient{1};

int fail(const char* what, const std::error_code& error) {
    std::fprintf(stderr, "%s: %s\n", what, error.message().c_str());
    return 1;
}

// Waits until the selector reports something (a signal restarts the wait).
// Stage 04 has no Poll yet, and a Registry does not hand out its selector:
// the example waits on its own handle of the same selector.
bool wait(const metalio::sys::Selector& selector, metalio::Events& events) {
    for (;;) {
        const auto polled = selector.select(events, std::nullopt);
        if (polled) return true;
        if (!metalio::io::is_interrupted(polled.error())) {
            fail("select", polled.error());
            return false;
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::uint16_t port = 13265;
    if (argc > 1) {
        const std::string_view text = argv[1];
        if (std::from_chars(text.data(), text.data() + text.size(), port).ec != std::errc{}) {
            std::fprintf(stderr, "usage: %s [port]\n", argv[0]);
            return 2;
        }
    }
    auto selector = metalio::sys::Selector::create();
    if (!selector) return fail("selector", selector.error());
    auto registering = selector->try_clone();  // the same selector, for the Registry
    if (!registering) return fail("selector", registering.error());
    const metalio::Registry registry(std::move(*registering));
    metalio::Events events = metalio::Events::with_capacity(8);

    // [listen]
    auto listener = TcpListener::bind(SocketAddr::v4({127, 0, 0, 1}, port));
    if (!listener) return fail("bind", listener.error());
    if (auto done = registry.register_(*listener, kServer, Interest::READABLE); !done) {
        return fail("register", done.error());
    }
    const auto local = listener->local_addr();
    std::printf("listening on %s; in another terminal run:\n    nc -N 127.0.0.1 %u\n",
                local ? local->to_string().c_str() : "?", local ? local->port() : port);
    std::fflush(stdout);
    // [listen]

    // [accept]
    // Readiness is a hint: try accept, and wait only when it says WouldBlock.
    auto accepted = listener->accept();
    while (!accepted && metalio::io::is_would_block(accepted.error())) {
        if (!wait(*selector, events)) return 1;
        accepted = listener->accept();
    }
    if (!accepted) return fail("accept", accepted.error());
    auto& [stream, peer] = *accepted;
    std::printf("connection from %s\n", peer.to_string().c_str());
    // [accept]

    // A greeting this short fits into the empty socket buffer at once.
    (void)stream.write(std::string_view("hello from metalio; type lines, end with Ctrl-D\n"));
    if (auto done = registry.register_(stream, kClient, Interest::READABLE); !done) {
        return fail("register", done.error());
    }

    // [read-loop]
    std::byte buffer[1024];
    std::size_t total = 0;
    for (;;) {
        const auto read = stream.read(buffer);
        if (read && *read == 0) break;  // end-of-file: the client closed
        if (read) {
            total += *read;
            std::printf("received %zu bytes: %.*s", *read, static_cast<int>(*read),
                        reinterpret_cast<const char*>(buffer));
            if (static_cast<char>(buffer[*read - 1]) != '\n') std::printf("\n");
            std::fflush(stdout);
            continue;
        }
        if (!metalio::io::is_would_block(read.error())) return fail("read", read.error());
        if (!wait(*selector, events)) return 1;  // drained: wait for more
    }
    // [read-loop]
    std::printf("the client closed the connection after %zu bytes; bye\n", total);
    return 0;
}
