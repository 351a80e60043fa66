// Stage 09 example: the server of chapter 06 on the coroutine runtime. It
// greets each client with "Hello world!", prints what the client sends, and
// notices the close: the same lines as stage 06, one straight-line
// coroutine per client instead of tokens, maps and events.
//
// Run it with `make run CH=09` (or pass another address: ARGS=127.0.0.1:0),
// then in a second terminal: nc -N 127.0.0.1 13265 (end with Ctrl-D)
#include <cstdio>
#include <string>

#include "metalio/rt/runtime.hpp"
#include "metalio/rt/tcp_listener.hpp"

using metalio::net::SocketAddr;
using metalio::rt::Task;
using metalio::rt::TcpListener;
using metalio::rt::TcpStream;

namespace {

int fail(const char* what, const std::error_code& error) {
    std::fprintf(stderr, "%s: %s\n", what, error.message().c_str());
    return 1;
}

// Prints what a client sent as text without its trailing newline, or as a
// byte count when it is not text (as stage 06 does).
void print_received(std::string_view data) {
    while (!data.empty() && (data.back() == '\n' || data.back() == '\r' || data.back() == ' ')) data.remove_suffix(1);
    for (const char c : data) {
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\r' && c != '\t') {
            std::printf("Received (non-text) data: %zu bytes\n", data.size());
            return;
        }
    }
    std::printf("Received data: %.*s\n", static_cast<int>(data.size()), data.data());
}

// [connection]
// One client, start to end. Where stage 06 keeps a Connection in a map and
// resumes it by token, this coroutine simply waits at each co_await.
Task<void> serve(TcpStream stream) {
    if (auto greeted = co_await stream.write_all("Hello world!\n"); !greeted) {
        std::printf("Connection error: %s\n", greeted.error().message().c_str());
        co_return;
    }
    char buffer[4096];
    for (;;) {
        auto read = co_await stream.read(std::as_writable_bytes(std::span(buffer)));
        if (!read) {
            std::printf("Connection error: %s\n", read.error().message().c_str());
            co_return;
        }
        if (*read == 0) break;
        print_received(std::string_view(buffer, *read));
    }
    std::printf("Connection closed\n");
}
// [connection]

// [listen]
Task<int> run(SocketAddr addr) {
    auto server = TcpListener::bind(addr);
    if (!server) co_return fail("TcpListener::bind", server.error());
    const auto bound = server->local_addr();
    if (!bound) co_return fail("local_addr", bound.error());
    std::string host = bound->to_string();
    host.erase(host.rfind(':'));
    if (host.front() == '[') host = host.substr(1, host.size() - 2);
    std::printf("You can connect to the server using `nc`:\n");
    // -N: Debian's nc shuts down its write half at Ctrl-D (see chapter 06).
    std::printf(" $ nc -N %s %u\n", host.c_str(), static_cast<unsigned>(bound->port()));
    std::printf("You'll see our welcome message and anything you type will be printed here;\n");
    std::printf("Ctrl-D in nc closes the connection.\n");
    for (;;) {
        auto accepted = co_await server->accept();
        if (!accepted) co_return fail("accept", accepted.error());
        auto& [stream, peer] = *accepted;
        std::printf("Accepted connection from: %s\n", peer.to_string().c_str());
        metalio::rt::spawn(serve(std::move(stream)));
    }
}
// [listen]

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // one line at a time, also into a pipe
    // [main]
    const auto addr = SocketAddr::parse(argc > 1 ? argv[1] : "127.0.0.1:13265");
    if (!addr) return fail("address", addr.error());
    auto runtime = metalio::rt::Runtime::create();
    if (!runtime) return fail("Runtime::create", runtime.error());
    const auto status = runtime->block_on(run(*addr));
    if (!status) return fail("block_on", status.error());
    return *status;
    // [main]
}
