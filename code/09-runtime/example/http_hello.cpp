// Stage 09 example: the smallest HTTP/1.1 "hello" server on the runtime,
// with keep-alive, for load generators such as wrk. Each request (up to its
// blank line) gets the same 13-byte answer. Prints its port on the first
// line of stdout, so a script can find it with ARGS=127.0.0.1:0.
//
// Run it with ./build/epoll/code/09-runtime/stage09_http_hello 127.0.0.1:8080
// then: curl http://127.0.0.1:8080/
#include <cstdio>
#include <string>
#include <string_view>

#include "metalio/rt/runtime.hpp"
#include "metalio/rt/tcp_listener.hpp"

using metalio::net::SocketAddr;
using metalio::rt::Task;
using metalio::rt::TcpListener;
using metalio::rt::TcpStream;

namespace {

constexpr std::string_view kResponse =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello world!\n";

// [http-connection]
// Answers every complete request in what was read; keeps what follows the
// last blank line for the next read. Ends at end-of-file or on an error.
Task<void> serve(TcpStream stream) {
    (void)stream.get_ref().set_nodelay(true);
    std::string pending;
    char buffer[4096];
    for (;;) {
        auto read = co_await stream.read(std::as_writable_bytes(std::span(buffer)));
        if (!read || *read == 0) co_return;
        pending.append(buffer, *read);
        std::size_t end;
        while ((end = pending.find("\r\n\r\n")) != std::string::npos) {
            pending.erase(0, end + 4);
            if (!co_await stream.write_all(kResponse)) co_return;
        }
    }
}
// [http-connection]

Task<int> run(SocketAddr addr) {
    auto server = TcpListener::bind(addr);
    if (!server) {
        std::fprintf(stderr, "bind: %s\n", server.error().message().c_str());
        co_return 1;
    }
    if (auto bound = server->local_addr()) std::printf("listening on %s\n", bound->to_string().c_str());
    for (;;) {
        auto accepted = co_await server->accept();
        if (!accepted) {
            std::fprintf(stderr, "accept: %s\n", accepted.error().message().c_str());
            co_return 1;
        }
        metalio::rt::spawn(serve(std::move(accepted->first)));
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const auto addr = SocketAddr::parse(argc > 1 ? argv[1] : "127.0.0.1:8080");
    if (!addr) {
        std::fprintf(stderr, "address: %s\n", addr.error().message().c_str());
        return 1;
    }
    auto runtime = metalio::rt::Runtime::create();
    if (!runtime) {
        std::fprintf(stderr, "Runtime::create: %s\n", runtime.error().message().c_str());
        return 1;
    }
    const auto status = runtime->block_on(run(*addr));
    return status ? *status : 1;
}
