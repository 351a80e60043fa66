// metalio_rt.cpp: the hello server on the stage-09 coroutine runtime.
//
//   hello_metalio_rt PORT [MAX]
//
// One task per connection, written the way chapter 09 teaches
// (code/09-runtime/example/http_hello.cpp), with the request logic every
// other server shares (hello.c) in place of the example's string search:
// the same work per request as metalio.cpp, so the difference in
// instructions is what the runtime adds to the hand-written chapter-06
// loop. The short-read rule is the runtime's own (rt::TcpStream::read).
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

#include "hello.h"
#include "metalio/rt/runtime.hpp"
#include "metalio/rt/tcp_listener.hpp"

using metalio::net::SocketAddr;
using metalio::rt::Task;
using metalio::rt::TcpListener;
using metalio::rt::TcpStream;

namespace {

hello_args args;
unsigned long long answered = 0;

// Reads, feeds the matcher, answers every complete request at once. Ends
// at end-of-file or on an error (dropping the stream closes it).
Task<void> serve(TcpStream stream) {
    (void)stream.get_ref().set_nodelay(true);
    unsigned char state = 0;
    char buffer[4096];
    char out[4096];
    for (;;) {
        const auto got = co_await stream.read(std::as_writable_bytes(std::span(buffer)));
        if (!got || *got == 0) co_return;
        const std::size_t ended = hello_feed(&state, buffer, *got);
        if (ended == 0) continue;
        const std::size_t length = hello_answer(out, sizeof out, ended);
        if (length == 0 || !co_await stream.write_all(std::as_bytes(std::span(out, length)))) co_return;
        // The measurement is over: leave at once, as the other servers do
        // (the runtime and its tasks go with the process).
        if (hello_count(&args, &answered, ended)) std::exit(0);
    }
}

Task<int> run(SocketAddr addr) {
    auto listener = TcpListener::bind(addr);
    if (!listener) {
        std::fprintf(stderr, "hello_metalio_rt: bind: %s\n", listener.error().message().c_str());
        co_return 1;
    }
    for (;;) {
        auto accepted = co_await listener->accept();
        if (!accepted) {  // EMFILE and the like: say so rather than spin
            std::fprintf(stderr, "hello_metalio_rt: accept: %s\n", accepted.error().message().c_str());
            co_return 1;
        }
        metalio::rt::spawn(serve(std::move(accepted->first)));
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: hello_metalio_rt PORT [MAX_REQUESTS]\n");
        return 2;
    }
    args = hello_parse_args(argc, argv);
    const auto addr = SocketAddr::parse("127.0.0.1:" + std::to_string(args.port));
    if (!addr) {
        std::fprintf(stderr, "hello_metalio_rt: address: %s\n", addr.error().message().c_str());
        return 1;
    }
    auto runtime = metalio::rt::Runtime::create();
    if (!runtime) {
        std::fprintf(stderr, "hello_metalio_rt: Runtime::create: %s\n", runtime.error().message().c_str());
        return 1;
    }
    const auto status = runtime->block_on(run(*addr));
    if (!status) {
        std::fprintf(stderr, "hello_metalio_rt: %s\n", status.error().message().c_str());
        return 1;
    }
    return *status;
}
