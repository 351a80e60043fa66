// Stage 04: TcpStream: connect, reading and writing, shutdown, options.
#include <signal.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>

#include "metalio/net/tcp_listener.hpp"
#include "net_helpers.hpp"
#include "selector_facts.hpp"

using metalio::Interest;
using metalio::Token;
using metalio::net::Shutdown;
using metalio::net::SocketAddr;
using metalio::net::TcpListener;
using metalio::net::TcpStream;
using net_test::bytes;
using net_test::connect_pair;
using net_test::localhost_v4;
using net_test::make_registry;
using net_test::wait_for;
namespace fault = metalio::sys::fault;
using namespace std::chrono_literals;

namespace {

constexpr Token kClient{1};
constexpr Token kServer{2};

/// Reads exactly @p size bytes, waiting for READABLE events in between.
std::string read_exactly(const net_test::WaitableRegistry& registry, const TcpStream& stream, Token token, std::size_t size) {
    std::string received;
    std::byte buffer[256];
    while (received.size() < size) {
        const auto read = stream.read(std::span(buffer).first(std::min(sizeof buffer, size - received.size())));
        if (read) {
            REQUIRE_MESSAGE(*read != 0, "unexpected end-of-file after ", received.size(), " bytes");
            received.append(reinterpret_cast<const char*>(buffer), *read);
            continue;
        }
        REQUIRE_MESSAGE(metalio::io::is_would_block(read.error()), "read failed: ", net_test::why(read));
        REQUIRE_MESSAGE(wait_for(registry, token).has_value(), "no READABLE event within 5 s; got only \"",
                        received, "\"");
    }
    return received;
}

// Counts SIGPIPEs while alive, instead of letting one kill the test process.
std::atomic<int> sigpipes{0};
class SigpipeCounter {
public:
    SigpipeCounter() {
        struct sigaction action{};
        action.sa_handler = [](int) { sigpipes.fetch_add(1); };
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGPIPE, &action, &previous_);
        sigpipes = 0;
    }
    ~SigpipeCounter() { ::sigaction(SIGPIPE, &previous_, nullptr); }
    SigpipeCounter(const SigpipeCounter&) = delete;
    SigpipeCounter& operator=(const SigpipeCounter&) = delete;

private:
    struct sigaction previous_{};
};

}  // namespace

static_assert(!std::is_copy_constructible_v<TcpStream>, "one stream owns its socket");
static_assert(std::is_nothrow_move_constructible_v<TcpStream>);

TEST_CASE("connect returns at once and the first event is WRITABLE and then peer_addr is the listener") {
    const metalio::test::FdLeakCheck no_leak;
    const net_test::WaitableRegistry registry = make_registry();
    const auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    const auto address = listener->local_addr();
    REQUIRE(address.has_value());

    const auto client = TcpStream::connect(*address);
    REQUIRE_MESSAGE(client.has_value(), "connect must treat EINPROGRESS as success");
    CHECK_MESSAGE(net_test::is_nonblocking(client->as_raw_fd()), "a connecting stream must be non-blocking");
    CHECK_MESSAGE(net_test::is_cloexec(client->as_raw_fd()), "a connecting stream must be close-on-exec");
    REQUIRE(registry.register_(*client, kClient, Interest::READABLE | Interest::WRITABLE));
    const auto event = wait_for(registry, kClient);
    REQUIRE_MESSAGE(event.has_value(), "no event within 5 s of a connect to a listening port");
    CHECK_MESSAGE(event->is_writable(), "a completed connect is reported as WRITABLE");
    CHECK_FALSE(event->is_readable());
    CHECK_FALSE(event->is_error());
    const auto error = client->take_error();
    REQUIRE(error.has_value());
    CHECK_MESSAGE(!error->has_value(), "a successful connect leaves no pending error");
    CHECK(client->peer_addr() == *address);
}

TEST_CASE("connect to a closed port reports an error event and take_error returns ECONNREFUSED") {
    const metalio::test::FdLeakCheck no_leak;
    const net_test::WaitableRegistry registry = make_registry();
    SocketAddr closed = localhost_v4();
    {
        // A port that was just free: bind, note it, close.
        const auto listener = TcpListener::bind(localhost_v4());
        REQUIRE(listener.has_value());
        const auto address = listener->local_addr();
        REQUIRE(address.has_value());
        closed = *address;
    }
    const auto client = TcpStream::connect(closed);
    if (!client) {
        // Allowed: the refusal may already be known when connect returns.
        CHECK(client.error() == std::errc::connection_refused);
        return;
    }
    REQUIRE(registry.register_(*client, kClient, Interest::READABLE | Interest::WRITABLE));
    const auto event = wait_for(registry, kClient);
    REQUIRE_MESSAGE(event.has_value(), "no event within 5 s of a connect to a closed port");
    CHECK_MESSAGE((event->is_error() || event->is_write_closed()),
                  "a refused connect must show up as an error or write-closed event");
    const auto error = client->take_error();
    REQUIRE(error.has_value());
    if constexpr (metalio::test::kEventConsumesSocketError) {
        // libkqueue read SO_ERROR (clearing it) to fill the event's fflags,
        // so the error is in the event, and take_error finds none.
#if METALIO_SELECTOR_KQUEUE
        CHECK_MESSAGE(event->raw().fflags == ECONNREFUSED, "the event should carry ECONNREFUSED in fflags");
#endif
        CHECK_MESSAGE(!error->has_value(), "libkqueue no longer clears SO_ERROR: drop kEventConsumesSocketError");
    } else {
        REQUIRE_MESSAGE(error->has_value(), "take_error should return the connect's error");
        CHECK(**error == std::errc::connection_refused);
    }
    const auto cleared = client->take_error();
    REQUIRE(cleared.has_value());
    CHECK_MESSAGE(!cleared->has_value(), "take_error clears the error: a second call returns none");
    const auto peer = client->peer_addr();
    REQUIRE_FALSE(peer.has_value());
    CHECK(peer.error() == std::errc::not_connected);
}

TEST_CASE("data flows both ways, with read/write and with the vectored forms") {
    const metalio::test::FdLeakCheck no_leak;
    const net_test::WaitableRegistry registry = make_registry();
    const auto pair = connect_pair(registry);

    const auto written = pair.client.write(std::string_view("hello"));
    REQUIRE(written.has_value());
    CHECK(*written == 5);
    CHECK(read_exactly(registry, pair.server, kServer, 5) == "hello");

    const auto more = pair.client.write(bytes("raw bytes"));
    REQUIRE(more.has_value());
    CHECK(*more == 9);
    CHECK(read_exactly(registry, pair.server, kServer, 9) == "raw bytes");

    char first[] = "vec";
    char second[] = "tored!";
    const iovec out[] = {{first, 3}, {second, 6}};
    const auto sent = pair.server.write_vectored(out);
    REQUIRE(sent.has_value());
    CHECK(*sent == 9);

    char into_a[4] = {};
    char into_b[5] = {};
    const iovec in[] = {{into_a, 4}, {into_b, 5}};
    std::size_t got = 0;
    while (got == 0) {
        const auto read = pair.client.read_vectored(in);
        if (read) {
            got = *read;
            break;
        }
        REQUIRE_MESSAGE(metalio::io::is_would_block(read.error()), net_test::why(read));
        REQUIRE(wait_for(registry, kClient).has_value());
    }
    // Loopback delivers the 9 bytes as one segment: one readv fills both.
    REQUIRE(got == 9);
    CHECK(std::string(into_a, 4) == "vect");
    CHECK(std::string(into_b, 5) == "ored!");

    std::byte empty[8];
    const auto nothing = pair.client.read(empty);
    REQUIRE_FALSE(nothing.has_value());
    CHECK_MESSAGE(metalio::io::is_would_block(nothing.error()), "a drained stream reads WouldBlock, not 0 (EOF)");
}

TEST_CASE("peek returns queued bytes without consuming them") {
    const metalio::test::FdLeakCheck no_leak;
    const net_test::WaitableRegistry registry = make_registry();
    const auto pair = connect_pair(registry);
    REQUIRE(pair.client.write(std::string_view("abc")) == 3u);
    REQUIRE(wait_for(registry, kServer).has_value());

    std::byte buffer[8];
    const auto peeked = pair.server.peek(buffer);
    REQUIRE(peeked.has_value());
    CHECK(*peeked == 3);
    CHECK(std::string(reinterpret_cast<const char*>(buffer), *peeked) == "abc");
    CHECK_MESSAGE(read_exactly(registry, pair.server, kServer, 3) == "abc", "after peek, read returns the same bytes");
}

TEST_CASE("shutdown(Write) is seen by the peer as read-closed and end-of-file while the other direction still works") {
    const metalio::test::FdLeakCheck no_leak;
    const net_test::WaitableRegistry registry = make_registry();
    const auto pair = connect_pair(registry);
    // Drain the server's initial WRITABLE event first.
    (void)wait_for(registry, kServer, 100ms);

    REQUIRE(pair.client.shutdown(Shutdown::Write));
    const auto event = wait_for(registry, kServer);
    REQUIRE_MESSAGE(event.has_value(), "no event on the peer within 5 s of shutdown(Write)");
    CHECK(event->is_readable());
    CHECK_MESSAGE(event->is_read_closed(), "the peer should see its read half closed");
    std::byte buffer[8];
    CHECK_MESSAGE(pair.server.read(buffer) == 0u, "read returns 0 (end-of-file) after the peer's shutdown(Write)");

    const auto write_after = pair.client.write(std::string_view("x"));
    REQUIRE_FALSE(write_after.has_value());
    CHECK(write_after.error() == std::errc::broken_pipe);

    REQUIRE(pair.server.write(std::string_view("still open")) == 10u);
    CHECK(read_exactly(registry, pair.client, kClient, 10) == "still open");
}

TEST_CASE("writing after the peer closed fails with EPIPE or ECONNRESET, never WouldBlock, and raises no SIGPIPE") {
    const metalio::test::FdLeakCheck no_leak;
    const SigpipeCounter counter;
    const net_test::WaitableRegistry registry = make_registry();
    for (const bool vectored : {false, true}) {
        CAPTURE(vectored);
        auto pair = connect_pair(registry);
        REQUIRE(registry.deregister(pair.server));
        { const TcpStream gone = std::move(pair.server); }  // the peer closes

        std::optional<std::error_code> failure;
        for (int attempt = 0; attempt < 200 && !failure; ++attempt) {
            // The first write usually succeeds (it goes into the buffer; the
            // peer answers it with RST); a later one fails.
            char data[] = "ping";
            const iovec one[] = {{data, 4}};
            const auto written = vectored ? pair.client.write_vectored(one) : pair.client.write(bytes("ping"));
            if (!written) failure = written.error();
            else std::this_thread::sleep_for(5ms);
        }
        REQUIRE_MESSAGE(failure.has_value(), "writes to a closed peer kept succeeding");
        CHECK_MESSAGE(!metalio::io::is_would_block(*failure), "a dead peer is an error, not WouldBlock");
        CHECK((*failure == std::errc::broken_pipe || *failure == std::errc::connection_reset));
        REQUIRE(registry.deregister(pair.client));
    }
    CHECK_MESSAGE(sigpipes.load() == 0, "SIGPIPE was raised: send/sendmsg must use MSG_NOSIGNAL");
}

TEST_CASE("TcpStream nodelay and ttl round-trip and the addresses of both ends match") {
    const metalio::test::FdLeakCheck no_leak;
    const net_test::WaitableRegistry registry = make_registry();
    const auto pair = connect_pair(registry);
    REQUIRE(pair.client.set_nodelay(true));
    CHECK(pair.client.nodelay() == true);
    REQUIRE(pair.client.set_nodelay(false));
    CHECK(pair.client.nodelay() == false);
    REQUIRE(pair.client.set_ttl(7));
    CHECK(pair.client.ttl() == 7u);
    REQUIRE(pair.client.set_ttl(64));
    CHECK(pair.client.ttl() == 64u);

    const auto client_local = pair.client.local_addr();
    const auto server_peer = pair.server.peer_addr();
    REQUIRE(client_local.has_value());
    REQUIRE(server_peer.has_value());
    CHECK(*client_local == *server_peer);
    CHECK(pair.server.local_addr() == pair.client.peer_addr().value());
}

TEST_CASE("TcpStream into_raw_fd / from_raw_fd hand the same connection over") {
    const metalio::test::FdLeakCheck no_leak;
    const net_test::WaitableRegistry registry = make_registry();
    auto pair = connect_pair(registry);
    REQUIRE(registry.deregister(pair.client));
    const int fd = pair.client.as_raw_fd();
    const int raw = std::move(pair.client).into_raw_fd();
    CHECK(raw == fd);
    CHECK(pair.client.as_raw_fd() == -1);
    const TcpStream adopted = TcpStream::from_raw_fd(raw);
    REQUIRE(adopted.write(std::string_view("via raw fd")) == 10u);
    CHECK(read_exactly(registry, pair.server, kServer, 10) == "via raw fd");
}

TEST_CASE("fault in socket or connect makes TcpStream::connect fail with that error and leak nothing") {
    const metalio::test::FdLeakCheck no_leak;
    const auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    const auto address = listener->local_addr();
    REQUIRE(address.has_value());
    struct Step {
        const char* name;
        int error;
    };
    for (const Step step : {Step{"socket", EMFILE}, Step{"connect", ENETUNREACH}}) {
        const std::string failing_call = step.name;
        CAPTURE(failing_call);
        fault::reset();
        fault::fail_next(step.name, step.error);
        const auto client = TcpStream::connect(*address);
        fault::reset();
        REQUIRE_MESSAGE(!client.has_value(), "connect succeeded although ", step.name, " was made to fail");
        CHECK(client.error() == std::error_code(step.error, std::system_category()));
    }
}

TEST_CASE("read and write errors from the kernel come back unchanged (fault injection on send and read)") {
    const metalio::test::FdLeakCheck no_leak;
    const net_test::WaitableRegistry registry = make_registry();
    const auto pair = connect_pair(registry);
    fault::reset();
    fault::fail_next("send", ENOBUFS);
    const auto written = pair.client.write(std::string_view("x"));
    fault::fail_next("read", EIO);
    std::byte buffer[4];
    const auto read = pair.client.read(buffer);
    fault::reset();
    REQUIRE_FALSE(written.has_value());
    CHECK(written.error() == std::errc::no_buffer_space);
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error() == std::errc::io_error);
}
