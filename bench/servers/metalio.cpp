// metalio.cpp: the hello server on metalio (built once per selector, twice:
// hello_metalio for the lean modes, hello_metalio_realistic for the other).
//
//   hello_metalio drain PORT [MAX]                reads until WouldBlock after every event
//   hello_metalio short PORT [MAX]                stops after a read shorter than the buffer
//   hello_metalio_realistic realistic PORT [MAX]  short reads; READABLE | WRITABLE registered
//                                                 once, output kept on a partial write and
//                                                 sent on the next writable event, Nagle
//                                                 left on (what chapter 06 teaches)
//
// The same loop as raw_epoll.c, written the way chapter 06 teaches: a Poll,
// tokens, edge-triggered events. A connection's token is its fd, so the
// connection table is an array, as in the C baseline. Each binary holds one
// loop: with both in one program, GCC ran out of its inlining budget for the
// file and left the read path of the lean loop out of line (about 25
// instructions per request more, found by make bench).
#ifndef HELLO_METALIO_REALISTIC
#define HELLO_METALIO_REALISTIC 0  // the CMake target hello_metalio_realistic sets 1
#endif

#include <cstdio>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hello.h"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/poll.hpp"

using metalio::Event;
using metalio::Events;
using metalio::Interest;
using metalio::Poll;
using metalio::Token;
using metalio::net::SocketAddr;
using metalio::net::TcpListener;
using metalio::net::TcpStream;

namespace {

constexpr Token kListener{~std::size_t{0}};

struct Connection {
    TcpStream stream;
    unsigned char state = 0;
    std::string pending;  // realistic mode: what a partial write left (allocated only then)
};

// Realistic mode: sends @p data after what is pending; keeps what the socket
// does not take. False when the connection failed.
bool send_buffered(Connection& connection, std::string_view data) {
    if (!connection.pending.empty()) {
        connection.pending.append(data);
        return true;
    }
    auto sent = connection.stream.write(std::as_bytes(std::span(data)));
    if (!sent) {
        if (!metalio::io::is_would_block(sent.error())) return false;
        connection.pending.assign(data);
        return true;
    }
    if (*sent < data.size()) connection.pending.assign(data.substr(*sent));
    return true;
}

// Realistic mode: a writable event sends what is pending.
bool flush(Connection& connection) {
    while (!connection.pending.empty()) {
        auto sent = connection.stream.write(std::as_bytes(std::span(connection.pending)));
        if (!sent) return metalio::io::is_would_block(sent.error());
        connection.pending.erase(0, *sent);
    }
    return true;
}

int fail(const char* what, const std::error_code& error) {
    std::fprintf(stderr, "hello_metalio: %s: %s\n", what, error.message().c_str());
    return 1;
}

// The event loop; kRealistic chooses the realistic mode at compile time, so
// the lean loop is measured without its tests.
template <bool kRealistic>
int serve(Poll& poll, Events& events, const TcpListener& listener, hello_args args, bool stop_after_short_read) {
    constexpr Interest kInterests = kRealistic ? Interest::READABLE | Interest::WRITABLE : Interest::READABLE;
    unsigned long long answered = 0;
    std::vector<std::optional<Connection>> connections(1024);
    char buffer[4096];
    char out[4096];
    for (;;) {
        if (auto polled = poll.poll(events, std::nullopt); !polled) {
            if (metalio::io::is_interrupted(polled.error())) continue;
            return fail("poll", polled.error());
        }
        for (const Event& event : events) {
            if (event.token() == kListener) {
                for (;;) {
                    auto accepted = listener.accept();
                    if (!accepted) break;  // WouldBlock (or a failed accept: drop it)
                    TcpStream& stream = accepted->first;
                    const auto fd = static_cast<std::size_t>(stream.as_raw_fd());
                    if (fd >= connections.size()) connections.resize(fd * 2);
                    if constexpr (!kRealistic) (void)stream.set_nodelay(true);
                    if (!poll.registry().register_(stream, Token{fd}, kInterests)) continue;
                    connections[fd].emplace(std::move(stream));
                }
                continue;
            }
            auto& slot = connections[event.token().value];
            if (!slot) continue;
            bool close = kRealistic && event.is_writable() && !flush(*slot);
            // A writable-only event has nothing to read (registered for both,
            // the realistic server gets those too).
            const bool to_read = !kRealistic || event.is_readable() || event.is_read_closed() || event.is_error();
            while (!close && to_read) {
                // Not const: GCC 12 keeps a const io::Result in memory (its
                // scalar replacement skips read-only variables), a store and
                // a reload of the value and the flag, about 6 instructions
                // per read and per write (see the Performance page).
                auto got = slot->stream.read(std::as_writable_bytes(std::span(buffer)));
                if (!got) {
                    if (metalio::io::is_would_block(got.error())) break;
                    if (metalio::io::is_interrupted(got.error())) continue;
                    close = true;
                    break;
                }
                if (*got == 0) {
                    close = true;
                    break;
                }
                const std::size_t ended = hello_feed(&slot->state, buffer, *got);
                if (ended > 0) {
                    const std::size_t length = hello_answer(out, sizeof out, ended);
                    if (length == 0) {
                        close = true;
                        break;
                    }
                    if constexpr (kRealistic) {
                        if (!send_buffered(*slot, std::string_view(out, length))) {
                            close = true;
                            break;
                        }
                    } else if (auto sent = slot->stream.write(std::as_bytes(std::span(out, length)));
                               !sent || *sent != length) {
                        close = true;
                        break;
                    }
                    if (hello_count(&args, &answered, ended)) return 0;
                }
                // The short-read rule (chapter 06): a short read emptied the
                // socket for now, unless the peer also closed.
                if (stop_after_short_read && *got < sizeof buffer && !event.is_read_closed()) break;
            }
            if (close) slot.reset();  // closing the stream also deregisters it
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    constexpr bool kRealistic = HELLO_METALIO_REALISTIC != 0;
    const bool mode_ok = argc >= 3 && (kRealistic ? std::strcmp(argv[1], "realistic") == 0
                                                   : std::strcmp(argv[1], "drain") == 0 ||
                                                         std::strcmp(argv[1], "short") == 0);
    if (!mode_ok) {
        std::fprintf(stderr, kRealistic ? "usage: hello_metalio_realistic realistic PORT [MAX_REQUESTS]\n"
                                        : "usage: hello_metalio drain|short PORT [MAX_REQUESTS]\n");
        return 2;
    }
    const bool stop_after_short_read = std::strcmp(argv[1], "drain") != 0;
    hello_args args = hello_parse_args(argc - 1, argv + 1);

    auto poll = Poll::create();
    if (!poll) return fail("Poll::create", poll.error());
    Events events = Events::with_capacity(256);
    auto addr = SocketAddr::parse("127.0.0.1:" + std::to_string(args.port));
    if (!addr) return fail("address", addr.error());
    auto listener = TcpListener::bind(*addr);
    if (!listener) return fail("bind", listener.error());
    if (auto done = poll->registry().register_(*listener, kListener, Interest::READABLE); !done)
        return fail("register", done.error());

    return serve<kRealistic>(*poll, events, *listener, args, stop_after_short_read);
}
