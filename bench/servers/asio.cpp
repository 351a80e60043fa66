// asio.cpp: the hello server on standalone Asio (Debian's libasio-dev).
//
//   hello_asio lean PORT [MAX]        async_read_some, then a synchronous write
//                                     on the non-blocking socket, TCP_NODELAY
//   hello_asio realistic PORT [MAX]   async_read_some, then async_write (Asio
//                                     keeps what the socket does not take), Nagle on
//
// One io_context on one thread, with small completion handlers (Asio
// recycles their memory, so steady state does not allocate). Asio's reactor
// is epoll, edge-triggered, with a speculative read before it waits.
#include <asio.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "hello.h"

namespace {

hello_args args;
unsigned long long answered = 0;
bool realistic = false;

class Connection : public std::enable_shared_from_this<Connection> {
public:
    explicit Connection(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}

    void start() {
        if (!realistic) socket_.set_option(asio::ip::tcp::no_delay(true));
        read();
    }

private:
    void read() {
        socket_.async_read_some(asio::buffer(buffer_), [self = shared_from_this()](std::error_code error, std::size_t got) {
            if (error) return;
            const std::size_t ended = hello_feed(&self->state_, self->buffer_, got);
            if (ended > 0 && realistic) {
                const std::size_t length = hello_answer(self->out_, sizeof self->out_, ended);
                if (length == 0) return;
                asio::async_write(self->socket_, asio::buffer(self->out_, length),
                                  [self, ended](std::error_code write_error, std::size_t) {
                                      if (write_error) return;
                                      if (hello_count(&args, &answered, ended)) std::exit(0);
                                      self->read();
                                  });
                return;
            }
            if (ended > 0) {
                const std::size_t length = hello_answer(self->out_, sizeof self->out_, ended);
                std::error_code write_error;
                // Synchronous write on the non-blocking socket: written at once, like the other servers.
                if (length == 0 || asio::write(self->socket_, asio::buffer(self->out_, length), write_error) != length)
                    return;
                if (hello_count(&args, &answered, ended)) std::exit(0);
            }
            self->read();
        });
    }

    asio::ip::tcp::socket socket_;
    unsigned char state_ = 0;
    char buffer_[4096];
    char out_[4096];
};

void accept(asio::ip::tcp::acceptor& acceptor) {
    acceptor.async_accept([&acceptor](std::error_code error, asio::ip::tcp::socket socket) {
        if (!error) std::make_shared<Connection>(std::move(socket))->start();
        accept(acceptor);
    });
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3 || (std::strcmp(argv[1], "lean") != 0 && std::strcmp(argv[1], "realistic") != 0)) {
        std::fprintf(stderr, "usage: hello_asio lean|realistic PORT [MAX_REQUESTS]\n");
        return 2;
    }
    realistic = std::strcmp(argv[1], "realistic") == 0;
    args = hello_parse_args(argc - 1, argv + 1);
    asio::io_context context(1);
    asio::ip::tcp::acceptor acceptor(context, {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(args.port)});
    accept(acceptor);
    context.run();
}
