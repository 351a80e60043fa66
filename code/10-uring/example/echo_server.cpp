// Stage 10 example: an echo server on the completion API. One multishot
// accept serves every connection; each connection has exactly one
// operation in flight, a recv or the send of what it received, and the
// one Buffer goes back and forth between them. Prints its port on the
// first line of stdout (ARGS=127.0.0.1:0 lets the system choose).
//
// Run it with ./build/epoll/code/10-uring/stage10_echo_server 127.0.0.1:9000
// then: nc 127.0.0.1 9000
#include <cstdio>
#include <unordered_map>
#include <utility>

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

constexpr Token kAccept{0};
constexpr std::size_t kBufferSize = 4096;

// [tokens]
// A connection's number n gives two tokens: 2n for its recv, 2n+1 for its
// send, so a completion says both whose it is and what finished.
Token recv_token(std::size_t connection) { return Token{2 * connection}; }
Token send_token(std::size_t connection) { return Token{2 * connection + 1}; }
// [tokens]

// [echo-turn]
// What to do when an operation of connection @p id completes: a recv with
// bytes sends them, a send that is done receives again, anything else
// (end of stream, an error) closes the connection.
void on_completion(Driver& driver, std::unordered_map<std::size_t, OwnedFd>& connections, std::size_t id,
                   Completion completion) {
    const int fd = connections.at(id).get();
    const bool was_recv = completion.token == recv_token(id);
    bool submitted = false;
    if (completion.result && *completion.result > 0) {
        Buffer& buffer = completion.buffer;
        if (!was_recv) buffer.consume(*completion.result);  // a short send leaves the rest
        if (was_recv || buffer.len() > 0) {
            submitted = driver.send(fd, std::move(buffer), send_token(id)).has_value();
        } else {
            submitted = driver.recv(fd, std::move(buffer), recv_token(id)).has_value();
        }
    }
    if (!submitted) connections.erase(id);  // closes the socket
}
// [echo-turn]

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const auto addr = SocketAddr::parse(argc > 1 ? argv[1] : "127.0.0.1:9000");
    if (!addr) {
        std::fprintf(stderr, "address: %s\n", addr.error().message().c_str());
        return 1;
    }
    auto listener = TcpListener::bind(*addr);
    if (!listener) {
        std::fprintf(stderr, "bind: %s\n", listener.error().message().c_str());
        return 1;
    }
    if (auto bound = listener->local_addr()) std::printf("listening on %s\n", bound->to_string().c_str());
    auto driver = Driver::create();
    if (!driver) {  // the message names why: no io_uring, disabled, blocked by seccomp
        std::fprintf(stderr, "%s\n", driver.error().message().c_str());
        return 1;
    }
    std::unordered_map<std::size_t, OwnedFd> connections;
    std::size_t next_id = 1;
    if (!driver->accept_multishot(listener->as_raw_fd(), kAccept)) return 1;
    for (;;) {
        if (auto waited = driver->submit_and_wait(1); !waited) {
            std::fprintf(stderr, "io_uring_enter: %s\n", waited.error().message().c_str());
            return 1;
        }
        while (auto completion = driver->next()) {
            if (completion->token != kAccept) {
                on_completion(*driver, connections, completion->token.value / 2, std::move(*completion));
                continue;
            }
            if (completion->accepted.get() >= 0) {
                const std::size_t id = next_id++;
                const int fd = completion->accepted.get();
                connections.emplace(id, std::move(completion->accepted));
                if (!driver->recv(fd, Buffer(kBufferSize), recv_token(id))) connections.erase(id);
            }
            // The kernel ends a multishot accept on an error: arm it again.
            if (!completion->more && !driver->accept_multishot(listener->as_raw_fd(), kAccept)) return 1;
        }
    }
}
