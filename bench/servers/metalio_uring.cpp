// metalio_uring.cpp: the hello server on stage 10's completion API (io_uring).
//
//   hello_metalio_uring own PORT [MAX]        each recv owns a Buffer of its connection
//   hello_metalio_uring provided PORT [MAX]   each recv picks a buffer of a BufferRing
//   hello_metalio_uring multishot PORT [MAX]  one multishot recv per connection, from a BufferRing
//
// The loop chapter 10 teaches: one multishot accept, a recv (or a multishot
// recv that stays armed) and the send of the answers, and one io_uring_enter
// per turn that submits everything the turn queued and waits for the next
// completions. A connection's tokens are its fd times two (its receives) and
// that plus one (its sends), so the table is an array, as in the C baseline;
// its buffers travel into the Driver and back, or are lent by the Driver's
// buffer ring and given back once read, so a request allocates nothing.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
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
using metalio::uring::OpId;

namespace {

enum class Receive { own, provided, multishot };

constexpr Token kListener{~std::size_t{0}};
constexpr Token kCancel{~std::size_t{0} - 1};  // the completion of a cancel: nothing to do
constexpr std::size_t kBufferSize = 4096;
constexpr std::uint16_t kGroup = 0;
constexpr std::uint16_t kBuffers = 1024;  // one per connection at most in this loop

struct Connection {
    OwnedFd fd;
    Buffer in;
    Buffer out{kBufferSize};
    OpId receiving;           // the multishot recv, to cancel it when the connection closes
    unsigned char state = 0;
    unsigned char in_flight = 0;  // the connection closes when none of its operations is in flight
    bool closing = false;
    std::size_t answers = 0;  // in the send in flight: counted once it is sent
};

int fail(const char* what, const std::error_code& error) {
    std::fprintf(stderr, "hello_metalio_uring: %s: %s\n", what, error.message().c_str());
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: hello_metalio_uring own|provided|multishot PORT [MAX_REQUESTS]\n");
        return 2;
    }
    const Receive receive = std::strcmp(argv[1], "provided") == 0  ? Receive::provided
                            : std::strcmp(argv[1], "multishot") == 0 ? Receive::multishot
                                                                     : Receive::own;
    hello_args args = hello_parse_args(argc - 1, argv + 1);
    unsigned long long answered = 0;
    auto addr = SocketAddr::parse("127.0.0.1:" + std::to_string(args.port));
    if (!addr) return fail("address", addr.error());
    auto listener = TcpListener::bind(*addr);
    if (!listener) return fail("bind", listener.error());
    auto driver = Driver::create(1024);
    if (!driver) return fail("Driver::create", driver.error());
    if (receive != Receive::own) {
        if (auto provided = driver->provide_buffers(kGroup, kBuffers, kBufferSize); !provided)
            return fail("provide_buffers", provided.error());
    }
    if (auto armed = driver->accept_multishot(listener->as_raw_fd(), kListener); !armed)
        return fail("accept", armed.error());

    std::vector<std::optional<Connection>> connections(1024);
    // Submits the next receive of connection @p fd.
    auto start_recv = [&](std::size_t fd, Connection& connection) {
        const int socket = static_cast<int>(fd);
        const Token token{fd * 2};
        metalio::io::Result<OpId> submitted;
        if (receive == Receive::own) submitted = driver->recv(socket, std::move(connection.in), token);
        else if (receive == Receive::provided) submitted = driver->recv_provided(socket, kGroup, token);
        else submitted = driver->recv_multishot(socket, kGroup, token);
        if (!submitted) return false;
        connection.receiving = *submitted;
        ++connection.in_flight;
        return true;
    };
    Completion completion;  // one for every result: next() fills it in place
    for (;;) {
        if (auto waited = driver->submit_and_wait(1); !waited) return fail("io_uring_enter", waited.error());
        while (driver->next(completion)) {
            if (completion.token == kCancel) continue;
            if (completion.token == kListener) {
                if (completion.accepted.get() >= 0) {
                    const auto fd = static_cast<std::size_t>(completion.accepted.get());
                    if (fd >= connections.size()) connections.resize(fd * 2);
                    auto& connection = connections[fd].emplace(std::move(completion.accepted));
                    if (receive == Receive::own) connection.in = Buffer(kBufferSize);
                    int one = 1;
                    ::setsockopt(static_cast<int>(fd), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    if (!start_recv(fd, connection)) connections[fd].reset();
                }
                if (!completion.more && !driver->accept_multishot(listener->as_raw_fd(), kListener)) return 1;
                continue;
            }
            const std::size_t fd = completion.token.value / 2;
            Connection& connection = *connections[fd];
            if (!completion.more) --connection.in_flight;
            bool keep = !connection.closing && completion.result && *completion.result > 0;
            if (!keep && !connection.closing && !completion.result &&
                completion.result.error() == std::errc::no_buffer_space) {
                keep = start_recv(fd, connection);  // the ring was empty: the bytes wait in the socket
            } else if (keep && completion.token.value % 2 == 0) {  // a recv came back
                std::size_t ended;
                if (receive == Receive::own) {
                    Buffer& in = completion.buffer;
                    ended = hello_feed(&connection.state, reinterpret_cast<const char*>(in.data()), in.len());
                    connection.in = std::move(in);
                } else {
                    const auto bytes = completion.provided.view();
                    ended = hello_feed(&connection.state, bytes.data(), bytes.size());
                    completion.provided.recycle();  // read: the ring may hand it out again
                }
                if (ended > 0) {
                    Buffer& out = connection.out;
                    out.set_len(hello_answer(reinterpret_cast<char*>(out.data()), out.capacity(), ended));
                    connection.answers = ended;
                    keep = out.len() > 0 && driver->send(static_cast<int>(fd), std::move(out), Token{fd * 2 + 1});
                    if (keep) ++connection.in_flight;
                }
                // A single-shot recv, or a multishot one the kernel ended: receive again.
                if (keep && (receive != Receive::multishot ? ended == 0 : !completion.more))
                    keep = start_recv(fd, connection);
            } else if (keep) {  // a send came back: all of it was sent (MSG_WAITALL)
                connection.out = std::move(completion.buffer);
                if (hello_count(&args, &answered, connection.answers)) return 0;
                if (receive != Receive::multishot) keep = start_recv(fd, connection);
            }
            if (!keep && !connection.closing) {  // end of stream or an error: close once nothing is in flight
                connection.closing = true;
                if (connection.in_flight > 0 && receive == Receive::multishot)
                    (void)driver->cancel(connection.receiving, kCancel);
            }
            if (connection.closing && connection.in_flight == 0) connections[fd].reset();
        }
    }
}
