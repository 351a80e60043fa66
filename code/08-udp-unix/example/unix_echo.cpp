// Stage 08 example: an echo server on a Unix domain socket. It listens at
// the path given as the first argument (default: metalio-echo.sock in the
// current directory), sends back whatever each client writes, and closes a
// connection when the client has finished sending. With a second argument N
// it exits after N connections have closed (the tests use that).
//
// Run it with `make run CH=08 EXAMPLE=unix_echo` (see chapter 08) and, in a
// second terminal:
//     nc -N -U metalio-echo.sock
// A socket file left by an earlier run is removed first; the file is removed
// again when the server exits after N connections.
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "metalio/poll.hpp"
#include "metalio/posix/unix_listener.hpp"

using metalio::Event;
using metalio::Events;
using metalio::Interest;
using metalio::Poll;
using metalio::Token;
using metalio::posix::UnixListener;
using metalio::posix::UnixStream;

namespace {

constexpr Token kListener{0};

int fail(const char* what, const std::error_code& error) {
    std::fprintf(stderr, "%s: %s\n", what, error.message().c_str());
    return 1;
}

// One client: its stream and the bytes read but not yet written back.
struct Client {
    UnixStream stream;
    std::string pending;
    bool finished_sending = false;
};

// [serve-client]
// Reads until WouldBlock or end-of-file, writes back what it can. Returns
// true when the connection is done: the client sent end-of-file and every
// byte has gone back to it.
metalio::io::Result<bool> serve(Client& client) {
    std::byte buffer[4096];
    while (!client.finished_sending) {
        const auto read = client.stream.read(buffer);
        if (!read) {
            if (metalio::io::is_would_block(read.error())) break;
            return std::unexpected(read.error());
        }
        if (*read == 0) client.finished_sending = true;
        client.pending.append(reinterpret_cast<const char*>(buffer), *read);
    }
    while (!client.pending.empty()) {
        const auto written = client.stream.write(client.pending);
        if (!written) {
            // Full: the WRITABLE edge will bring us back.
            if (metalio::io::is_would_block(written.error())) return false;
            return std::unexpected(written.error());
        }
        client.pending.erase(0, *written);
    }
    return client.finished_sending;
}
// [serve-client]

bool is_socket(const char* path) {
    struct stat info{};
    return ::lstat(path, &info) == 0 && S_ISSOCK(info.st_mode);
}

}  // namespace

int main(int argc, char** argv) {
    const char* path = argc > 1 ? argv[1] : "metalio-echo.sock";
    std::optional<unsigned long> limit;
    if (argc > 2) {
        const std::string_view text = argv[2];
        if (std::from_chars(text.data(), text.data() + text.size(), limit.emplace()).ec != std::errc{}) {
            std::fprintf(stderr, "usage: %s [path] [connections before exiting]\n", argv[0]);
            return 2;
        }
    }
    // Only a stale *socket* file is removed; any other file there is an error.
    if (is_socket(path)) ::unlink(path);
    auto poll = Poll::create();
    if (!poll) return fail("Poll::create", poll.error());
    const auto listener = UnixListener::bind(path);
    if (!listener) return fail("bind", listener.error());
    const metalio::Registry& registry = poll->registry();
    if (auto done = registry.register_(*listener, kListener, Interest::READABLE); !done) {
        return fail("register", done.error());
    }
    // -N: Debian's nc then shuts down its writing half at Ctrl-D, the
    // end-of-file this server answers by closing the connection.
    std::printf("echoing on %s; try: nc -N -U %s\n", path, path);
    std::fflush(stdout);

    std::map<std::size_t, Client> clients;
    std::size_t next_token = 1;
    unsigned long closed = 0;
    Events events = Events::with_capacity(64);
    while (!limit || closed < *limit) {
        if (auto polled = poll->poll(events, std::nullopt); !polled) {
            if (metalio::io::is_interrupted(polled.error())) continue;
            return fail("poll", polled.error());
        }
        for (const Event event : events) {
            if (event.token() == kListener) {
                for (;;) {
                    auto accepted = listener->accept();
                    if (!accepted) {
                        if (metalio::io::is_would_block(accepted.error())) break;
                        return fail("accept", accepted.error());
                    }
                    const Token token{next_token++};
                    auto& client = clients.emplace(token.value, Client{std::move(accepted->first), {}, false})
                                       .first->second;
                    if (auto done = registry.register_(client.stream, token, Interest::READABLE | Interest::WRITABLE);
                        !done) {
                        return fail("register", done.error());
                    }
                    std::printf("client %zu connected\n", token.value);
                    std::fflush(stdout);
                }
                continue;
            }
            const auto found = clients.find(event.token().value);
            if (found == clients.end()) continue;
            const auto done = serve(found->second);
            if (done && !*done) continue;
            if (!done) std::fprintf(stderr, "client %zu: %s\n", found->first, done.error().message().c_str());
            std::printf("client %zu closed\n", found->first);
            std::fflush(stdout);
            clients.erase(found);  // closes the stream (and deregisters it in a poll(2) build)
            ++closed;
        }
    }
    ::unlink(path);
    return 0;
}
