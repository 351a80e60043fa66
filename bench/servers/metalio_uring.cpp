// metalio_uring.cpp: the hello server on stage 10's completion API (io_uring).
//
//   hello_metalio_uring PORT [MAX]
//
// The loop chapter 10 teaches: one multishot accept, one operation in flight
// per connection (its recv, or the send of its answers), and one
// io_uring_enter per turn that submits everything the turn queued and waits
// for the next completions. A connection's token is its fd, so the table is
// an array, as in the C baseline; its two buffers travel into the Driver and
// back, so a request allocates nothing.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "hello.h"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/uring/driver.hpp"

using metalio::Token;
using metalio::net::SocketAddr;
using metalio::net::TcpListener;
using metalio::sys::OwnedFd;
using metalio::uring::Buffer;
using metalio::uring::Completion;
using metalio::uring::Driver;

namespace {

constexpr Token kListener{~std::size_t{0}};
constexpr std::size_t kBufferSize = 4096;

struct Connection {
    OwnedFd fd;
    Buffer in{kBufferSize};
    Buffer out{kBufferSize};
    unsigned char state = 0;
    std::size_t answers = 0;  // in the send in flight: counted once it is sent
};

int fail(const char* what, const std::error_code& error) {
    std::fprintf(stderr, "hello_metalio_uring: %s: %s\n", what, error.message().c_str());
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: hello_metalio_uring PORT [MAX_REQUESTS]\n");
        return 2;
    }
    hello_args args = hello_parse_args(argc, argv);
    unsigned long long answered = 0;
    auto addr = SocketAddr::parse("127.0.0.1:" + std::to_string(args.port));
    if (!addr) return fail("address", addr.error());
    auto listener = TcpListener::bind(*addr);
    if (!listener) return fail("bind", listener.error());
    auto driver = Driver::create(1024);
    if (!driver) return fail("Driver::create", driver.error());
    if (auto armed = driver->accept_multishot(listener->as_raw_fd(), kListener); !armed)
        return fail("accept", armed.error());

    std::vector<std::optional<Connection>> connections(1024);
    for (;;) {
        if (auto waited = driver->submit_and_wait(1); !waited) return fail("io_uring_enter", waited.error());
        while (auto completion = driver->next()) {
            if (completion->token == kListener) {
                if (completion->accepted.get() >= 0) {
                    const auto fd = static_cast<std::size_t>(completion->accepted.get());
                    if (fd >= connections.size()) connections.resize(fd * 2);
                    auto& connection = connections[fd].emplace(std::move(completion->accepted));
                    int one = 1;
                    ::setsockopt(static_cast<int>(fd), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    if (!driver->recv(static_cast<int>(fd), std::move(connection.in), Token{fd})) connections[fd].reset();
                }
                if (!completion->more && !driver->accept_multishot(listener->as_raw_fd(), kListener)) return 1;
                continue;
            }
            const std::size_t fd = completion->token.value;
            auto& connection = connections[fd];
            bool keep = completion->result && *completion->result > 0;
            if (keep && connection->in.capacity() == 0) {  // a recv came back
                Buffer& in = completion->buffer;
                const std::size_t ended = hello_feed(&connection->state, reinterpret_cast<const char*>(in.data()), in.len());
                connection->in = std::move(in);
                if (ended > 0) {
                    Buffer& out = connection->out;
                    out.set_len(hello_answer(reinterpret_cast<char*>(out.data()), out.capacity(), ended));
                    connection->answers = ended;
                    keep = out.len() > 0 && driver->send(static_cast<int>(fd), std::move(out), Token{fd}).has_value();
                } else {
                    keep = driver->recv(static_cast<int>(fd), std::move(connection->in), Token{fd}).has_value();
                }
            } else if (keep) {  // a send came back: all of it was sent (MSG_WAITALL), receive again
                connection->out = std::move(completion->buffer);
                if (hello_count(&args, &answered, connection->answers)) return 0;
                keep = driver->recv(static_cast<int>(fd), std::move(connection->in), Token{fd}).has_value();
            }
            if (!keep) connection.reset();  // end of stream or an error: close
        }
    }
}
