// Behaviour suite, part 2: TCP. Listener, connect, large transfers,
// shutdown and close, socket options, raw fds and a vectored conversation,
// each driven by a Poll with the selector of the build.
#if !defined(_WIN32)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/uio.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "behaviour.hpp"
#include "selector_facts.hpp"
#include "metalio/sys/socket.hpp"

using namespace behaviour;
using metalio::net::Shutdown;

namespace {

void check_listener(const SocketAddr& where) {
    Poll poll = make_poll();
    auto listener = TcpListener::bind(where);
    REQUIRE_MESSAGE(listener.has_value(), "could not listen on ", where, ": ", why(listener));
#if !defined(_WIN32)  // Windows: the accept below shows non-blocking; inheritance is cloexec's business
    CHECK_MESSAGE(is_nonblocking(listener->as_raw_fd()), "the listening socket is in blocking mode");
    CHECK_MESSAGE(is_cloexec(listener->as_raw_fd()), "the listening socket is not close-on-exec");
#endif
    REQUIRE(poll.registry().register_(*listener, Token{0}, Interest::READABLE));
    const auto address = listener->local_addr();
    REQUIRE_MESSAGE(address.has_value(), "local_addr failed: ", why(address));
    CHECK_MESSAGE(address->port() != 0, "after binding port 0, local_addr should say which port the kernel chose");

    auto client = TcpStream::connect(*address);
    REQUIRE_MESSAGE(client.has_value(), "connect failed: ", why(client));
    const auto event = wait_for(poll, Token{0});
    REQUIRE_MESSAGE(event.has_value(), "the listener did not become readable when a client connected");
    CHECK(event->is_readable());

    auto accepted = listener->accept();
    REQUIRE_MESSAGE(accepted.has_value(), "accept after the readable event failed: ", why(accepted));
    const auto next = listener->accept();
    CHECK_MESSAGE(!next.has_value(), "a second accept succeeded, but only one client connected");
    if (!next) CHECK_MESSAGE(metalio::io::is_would_block(next.error()), "the second accept failed with ", next.error(),
                             " instead of WouldBlock");

    const auto& [stream, peer] = *accepted;
#if !defined(_WIN32)
    CHECK_MESSAGE(is_nonblocking(stream.as_raw_fd()), "the accepted socket is in blocking mode");
    CHECK_MESSAGE(is_cloexec(stream.as_raw_fd()), "the accepted socket is not close-on-exec");
#endif
    const auto client_addr = client->local_addr();
    REQUIRE(client_addr.has_value());
    CHECK_MESSAGE(peer == *client_addr, "accept says the peer is ", peer, " but the client is at ", *client_addr);
    CHECK(peer.family() == where.family());
    const auto stream_peer = stream.peer_addr();
    REQUIRE(stream_peer.has_value());
    CHECK(*stream_peer == *client_addr);
}

// A socket bound to a port but not listening: connecting to that port is
// refused, and the port stays ours for the whole test.
struct RefusingPort {
    metalio::sys::OwnedSocket fd;
    SocketAddr address;
};

RefusingPort refusing_port() {
#if defined(_WIN32)
    metalio::sys::OwnedSocket fd(::socket(AF_INET, SOCK_STREAM, 0));
    REQUIRE_MESSAGE(fd.get() != INVALID_SOCKET, "socket() failed: ", ::WSAGetLastError());
    const auto raw = localhost_v4().to_raw();
    REQUIRE_MESSAGE(::bind(fd.get(), raw.get(), raw.length) == 0, "bind failed: ", ::WSAGetLastError());
#else
    metalio::sys::OwnedSocket fd(metalio::test::socket(AF_INET, SOCK_STREAM));
    REQUIRE_MESSAGE(fd.get() >= 0, "socket() failed: ", metalio::io::last_os_error());
    const auto raw = localhost_v4().to_raw();
    REQUIRE_MESSAGE(::bind(fd.get(), raw.get(), raw.length) == 0, "bind failed: ", metalio::io::last_os_error());
#endif
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    REQUIRE(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&storage), &length) == 0);
    const auto address = SocketAddr::from_raw(storage, length);
    REQUIRE(address.has_value());
    return RefusingPort{std::move(fd), *address};
}

constexpr std::size_t kBigTransfer = std::size_t{16} << 20;  // 16 MiB

// Sends kBigTransfer bytes from @p writer to @p reader through one Poll:
// on every writable event the writer writes until WouldBlock, on every
// readable event the reader reads until WouldBlock. Then compares.
void transfer_and_compare(const TcpStream& writer, const TcpStream& reader) {
    // 256 copies of a 64 KiB pseudo-random block, each stamped with its
    // number: lost, repeated or reordered bytes all show as a difference.
    // (Built with memcpy, not byte by byte: the sanitizer builds stay fast.)
    std::vector<std::byte> block(64 * 1024);
    std::uint32_t state = 0x12345678;  // xorshift
    for (std::byte& b : block) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        b = static_cast<std::byte>(state);
    }
    std::vector<std::byte> sent(kBigTransfer);
    for (std::uint32_t n = 0; n < kBigTransfer / block.size(); ++n) {
        std::memcpy(block.data(), &n, sizeof n);
        std::memcpy(sent.data() + n * block.size(), block.data(), block.size());
    }
    std::vector<std::byte> received;
    received.reserve(kBigTransfer);
    std::vector<std::byte> buffer(64 * 1024);

    Poll poll = make_poll();
    constexpr Token kWriter{1};
    constexpr Token kReader{2};
    REQUIRE(poll.registry().register_(writer, kWriter, Interest::WRITABLE));
    REQUIRE(poll.registry().register_(reader, kReader, Interest::READABLE));

    std::size_t written = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (received.size() < kBigTransfer) {
        const bool in_time = std::chrono::steady_clock::now() < deadline;
        REQUIRE_MESSAGE(in_time, "after 30 s only ", received.size(), " of ",
                        kBigTransfer, " bytes arrived (", written, " written): an event went missing");
        for (const Event event : poll_once(poll, 1s)) {
            if (event.token() == kWriter && event.is_writable()) {
                while (written < kBigTransfer) {
                    const auto wrote = writer.write(std::span(sent).subspan(written));
                    if (wrote) {
                        written += *wrote;
                        continue;
                    }
                    if (metalio::io::is_interrupted(wrote.error())) continue;
                    REQUIRE_MESSAGE(metalio::io::is_would_block(wrote.error()), "write failed: ", wrote.error());
                    break;  // the socket buffer is full: wait for the next writable event
                }
            }
            if (event.token() == kReader && event.is_readable()) {
                for (;;) {
                    const auto read = reader.read(buffer);
                    if (read) {
                        REQUIRE_MESSAGE(*read != 0, "end-of-file after ", received.size(), " bytes: the writer never closes");
                        REQUIRE_MESSAGE(received.size() + *read <= kBigTransfer, "more bytes arrived than were sent");
                        received.insert(received.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*read));
                        continue;
                    }
                    if (metalio::io::is_interrupted(read.error())) continue;
                    REQUIRE_MESSAGE(metalio::io::is_would_block(read.error()), "read failed: ", read.error());
                    break;  // drained: wait for the next readable event
                }
            }
        }
    }
    const auto extra = reader.read(buffer);
    CHECK_MESSAGE(!extra.has_value(), "after all bytes arrived, a read still returned ", extra.value_or(0), " more");

    // Compare without ever printing megabytes: only the first differing
    // offset. (memcmp first: in the sanitizer builds it is far faster than
    // the instrumented std::mismatch, which then only runs to find the offset.)
    REQUIRE_MESSAGE(received.size() == kBigTransfer, received.size(), " bytes arrived instead of ", kBigTransfer);
    const bool intact = std::memcmp(sent.data(), received.data(), kBigTransfer) == 0;
    std::ptrdiff_t offset = -1;
    if (!intact) offset = std::mismatch(sent.begin(), sent.end(), received.begin()).first - sent.begin();
    CHECK_MESSAGE(intact, "the received data differs from the sent data, first at byte offset ", offset, " of ",
                  kBigTransfer);
}

}  // namespace

BEHAVIOUR("listener on 127.0.0.1: readable on a connection, accept works, next accept WouldBlocks, sockets non-blocking and close-on-exec, peer address right") {
    check_listener(localhost_v4());
}

BEHAVIOUR("listener on ::1: readable on a connection, accept works, next accept WouldBlocks, sockets non-blocking and close-on-exec, peer address right") {
    check_listener(localhost_v6());
}

BEHAVIOUR("binding the address of a listening socket a second time fails with address-in-use") {
    auto first = TcpListener::bind(localhost_v4());
    REQUIRE(first.has_value());
    const auto address = first->local_addr();
    REQUIRE(address.has_value());
    const auto second = TcpListener::bind(*address);
    REQUIRE_MESSAGE(!second.has_value(), "two listeners were bound to ", *address);
    CHECK(second.error() == std::errc::address_in_use);
}

BEHAVIOUR("connect: the first event of a new connection is writable, with no error pending") {
    Poll poll = make_poll();
    auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    const auto address = listener->local_addr();
    REQUIRE(address.has_value());
    auto client = TcpStream::connect(*address);
    REQUIRE_MESSAGE(client.has_value(), "connect failed: ", why(client));
    REQUIRE(poll.registry().register_(*client, Token{1}, Interest::READABLE | Interest::WRITABLE));
    const auto event = wait_for(poll, Token{1});
    REQUIRE_MESSAGE(event.has_value(), "the connecting stream got no event within 5 s");
    CHECK_MESSAGE(event->is_writable(), "the first event of a connecting stream must be writable (connected)");
    CHECK(!event->is_error());
    const auto pending = client->take_error();
    REQUIRE(pending.has_value());
    CHECK_MESSAGE(!pending->has_value(), "take_error found an error on a connection that was accepted");
    const auto peer = client->peer_addr();
    REQUIRE_MESSAGE(peer.has_value(), "peer_addr after the writable event failed: ", why(peer));
    CHECK(*peer == *address);
}

BEHAVIOUR("connect to a port nobody listens on reports an error or write-closed, and take_error returns connection-refused") {
    Poll poll = make_poll();
    const RefusingPort closed = refusing_port();
    auto client = TcpStream::connect(closed.address);
    if (!client) {  // the kernel may refuse at once
        CHECK(client.error() == std::errc::connection_refused);
        return;
    }
    REQUIRE(poll.registry().register_(*client, Token{1}, Interest::READABLE | Interest::WRITABLE));
    const auto event = wait_for(poll, Token{1});
    REQUIRE_MESSAGE(event.has_value(), "a refused connect produced no event within 5 s");
    CHECK_MESSAGE((event->is_error() || event->is_write_closed()),
                  "the event of a refused connect says neither error nor write-closed");
    const auto pending = client->take_error();
    REQUIRE_MESSAGE(pending.has_value(), "take_error failed: ", why(pending));
    if constexpr (metalio::test::kEventConsumesSocketError) {
        // libkqueue read (and so cleared) SO_ERROR to fill the event.
#if METALIO_SELECTOR_KQUEUE
        CHECK_MESSAGE(event->raw().fflags == ECONNREFUSED, "the event should carry ECONNREFUSED in fflags");
#endif
        CHECK_MESSAGE(!pending->has_value(), "libkqueue no longer clears SO_ERROR: drop kEventConsumesSocketError");
        return;
    }
    REQUIRE_MESSAGE(pending->has_value(), "take_error found no error after a refused connect");
    CHECK(**pending == std::errc::connection_refused);
#if !defined(_WIN32)  // Windows documents that reading SO_ERROR resets it, but Wine 8 keeps it
    const auto again = client->take_error();
    REQUIRE(again.has_value());
    CHECK_MESSAGE(!again->has_value(), "take_error must clear the error it returns");
#endif
}

BEHAVIOUR("16 MiB from client to server arrive intact when every event is drained to WouldBlock") {
    const Pair pair = connected_pair();
    transfer_and_compare(pair.client, pair.server);
}

BEHAVIOUR("16 MiB from server to client arrive intact when every event is drained to WouldBlock") {
    const Pair pair = connected_pair();
    transfer_and_compare(pair.server, pair.client);
}

BEHAVIOUR("the peer's shutdown(Write) shows up as read-closed, and reads return end-of-file") {
    Poll poll = make_poll();
    const Pair pair = connected_pair();
    REQUIRE(poll.registry().register_(pair.server, Token{2}, Interest::READABLE));
    REQUIRE(pair.client.shutdown(Shutdown::Write));
    const auto event = wait_for(poll, Token{2});
    REQUIRE_MESSAGE(event.has_value(), "no event after the peer shut down its write half");
    CHECK_MESSAGE(event->is_read_closed(), "the peer's shutdown(Write) must show as read-closed");
    const Drained drained = drain(pair.server);
    CHECK_MESSAGE(drained.eof, "reading after the peer's shutdown(Write) did not return end-of-file");
    CHECK(drained.data.empty());
}

#if !defined(_WIN32)
// Not on Windows: the AFD driver reports what the peer did (its FIN, its
// reset), not a local shutdown(SD_RECEIVE), so there is no event to wait for.
BEHAVIOUR("a local shutdown(Read) shows up as read-closed, and reads return end-of-file") {
    Poll poll = make_poll();
    const Pair pair = connected_pair();
    REQUIRE(poll.registry().register_(pair.server, Token{2}, Interest::READABLE));
    REQUIRE(pair.server.shutdown(Shutdown::Read));
    const auto event = wait_for(poll, Token{2});
    REQUIRE_MESSAGE(event.has_value(), "no event after shutdown(Read)");
    CHECK_MESSAGE(event->is_read_closed(), "shutdown(Read) must show as read-closed");
    CHECK_MESSAGE(drain(pair.server).eof, "reading after shutdown(Read) did not return end-of-file");
}
#endif

BEHAVIOUR("after shutdown(Both) a write fails with broken pipe, and the event shows read-closed and write-closed") {
    Poll poll = make_poll();
    const Pair pair = connected_pair();
    REQUIRE(pair.client.shutdown(Shutdown::Both));
    const auto wrote = pair.client.write(bytes("too late"));
    REQUIRE_MESSAGE(!wrote.has_value(), "a write after shutdown(Both) succeeded");
    CHECK(wrote.error() == std::errc::broken_pipe);
    REQUIRE(poll.registry().register_(pair.client, Token{1}, Interest::READABLE | Interest::WRITABLE));
    // All events of the token: on kqueue read-closed and write-closed come
    // from two filters, so as two events.
    const auto seen = wait_for_all(poll, Token{1});
    REQUIRE_MESSAGE(seen.has_value(), "no event for a stream that was shut down both ways");
#if !defined(_WIN32)  // AFD reports no local shutdown (see above): the stream is merely writable
    CHECK(seen->read_closed);
    CHECK(seen->write_closed);
#endif
}

BEHAVIOUR("dropping a stream gives the peer a readable event and end-of-file") {
    Poll poll = make_poll();
    Pair pair = connected_pair();
    REQUIRE(poll.registry().register_(pair.server, Token{2}, Interest::READABLE));
    { const TcpStream dropped = std::move(pair.client); }
    const auto event = wait_for(poll, Token{2});
    REQUIRE_MESSAGE(event.has_value(), "the peer got no event when the stream was dropped");
    CHECK(event->is_readable());
    const Drained drained = drain(pair.server);
    CHECK_MESSAGE(drained.eof, "the peer did not read end-of-file after the stream was dropped");
}

BEHAVIOUR("a listener dropped while registered produces no event, even when its fd number is reused") {
    Poll poll = make_poll();
    SocketAddr address = localhost_v4();
    {
        auto listener = TcpListener::bind(localhost_v4());
        REQUIRE(listener.has_value());
        REQUIRE(poll.registry().register_(*listener, Token{0}, Interest::READABLE));
        const auto bound = listener->local_addr();
        REQUIRE(bound.has_value());
        address = *bound;
    }
    CHECK_MESSAGE(poll_once(poll, kQuietWait).empty(), "a dropped listener still produced an event");
    // The next socket probably gets the same fd number. Its events must
    // carry its own token, never the dropped listener's token 0.
    auto client = TcpStream::connect(address);
    if (client) {
        REQUIRE(poll.registry().register_(*client, Token{1}, Interest::READABLE | Interest::WRITABLE));
        (void)wait_for(poll, Token{1});
    }
    CHECK_MESSAGE(count_token(poll_once(poll, kQuietWait), Token{0}) == 0,
                  "an event carried the dropped listener's token 0");
}

BEHAVIOUR("writing after the peer closed eventually fails with broken pipe or connection reset, without SIGPIPE") {
#if !defined(_WIN32)  // Windows has no SIGPIPE: only the error is checked there
    struct sigaction current {};
    REQUIRE(::sigaction(SIGPIPE, nullptr, &current) == 0);
    const bool sigpipe_default = current.sa_handler == SIG_DFL;
    REQUIRE_MESSAGE(sigpipe_default,
                    "SIGPIPE is ignored or caught in this process, so this test could not notice one being raised");
#endif
    Poll poll = make_poll();
    Pair pair = connected_pair();
    REQUIRE(poll.registry().register_(pair.client, Token{1}, Interest::WRITABLE));
    { const TcpStream dropped = std::move(pair.server); }

    const std::vector<std::byte> chunk(64 * 1024, std::byte{'x'});
    std::error_code failure;
    const auto deadline = std::chrono::steady_clock::now() + kEventWait;
    while (!failure && std::chrono::steady_clock::now() < deadline) {
        const auto wrote = pair.client.write(chunk);
        if (wrote || metalio::io::is_interrupted(wrote.error())) continue;
        if (metalio::io::is_would_block(wrote.error())) {
            (void)wait_for(poll, Token{1}, 100ms);
            continue;
        }
        failure = wrote.error();
    }
    REQUIRE_MESSAGE(failure, "writes to a closed peer kept succeeding (or blocking) for 5 s");
    CHECK_MESSAGE((failure == std::errc::broken_pipe || failure == std::errc::connection_reset),
                  "writing to a closed peer failed with ", failure, ", expected broken pipe or connection reset");
}

BEHAVIOUR("ttl and nodelay read back what was set") {
    const Pair pair = connected_pair();
    REQUIRE(pair.client.set_ttl(57));
    CHECK(pair.client.ttl() == 57u);
    REQUIRE(pair.client.set_nodelay(true));
    CHECK(pair.client.nodelay() == true);
    REQUIRE(pair.client.set_nodelay(false));
    CHECK(pair.client.nodelay() == false);

    auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    REQUIRE(listener->set_ttl(42));
    CHECK(listener->ttl() == 42u);
}

#if !defined(_WIN32)
// Not on Windows, where the raw handover is into_raw_socket/from_raw_socket
// (tests/04-net/windows/tcp_test.cpp).
BEHAVIOUR("into_raw_fd and from_raw_fd hand over the same socket, which keeps working") {
    Poll poll = make_poll();
    Pair pair = connected_pair();
    const int client_fd = pair.client.as_raw_fd();
    const int raw = std::move(pair.client).into_raw_fd();
    CHECK(raw == client_fd);
    const TcpStream adopted = TcpStream::from_raw_fd(raw);
    CHECK(adopted.as_raw_fd() == raw);
    REQUIRE(poll.registry().register_(adopted, Token{1}, Interest::READABLE));
    REQUIRE(pair.server.write(bytes("through the adopted fd")) == 22u);
    const auto event = wait_for(poll, Token{1});
    REQUIRE_MESSAGE(event.has_value(), "the stream adopted with from_raw_fd got no readable event");
    CHECK(drain(adopted).data == "through the adopted fd");

    auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    const auto before = listener->local_addr();
    REQUIRE(before.has_value());
    const int listener_fd = std::move(*listener).into_raw_fd();
    const TcpListener readopted = TcpListener::from_raw_fd(listener_fd);
    CHECK(readopted.as_raw_fd() == listener_fd);
    CHECK(readopted.local_addr() == *before);
}
#endif

namespace {

// Two small, odd-sized buffers: every message is split across both and
// across several calls, so readv's filling order matters.
metalio::io::Result<bool> read_all_vectored(const TcpStream& stream, std::string& into) {
    char head[5];
    char tail[11];
    for (;;) {
        const metalio::sys::IoSlice parts[] = {io_slice(head, sizeof head), io_slice(tail, sizeof tail)};
        const auto read = stream.read_vectored(parts);
        if (read && *read == 0) return true;
        if (read) {
            into.append(head, std::min(*read, sizeof head));
            if (*read > sizeof head) into.append(tail, *read - sizeof head);
            continue;
        }
        if (metalio::io::is_interrupted(read.error())) continue;
        if (metalio::io::is_would_block(read.error())) return false;
        return std::unexpected(read.error());
    }
}

// Writes @p pending as two pieces in one writev, keeps what did not fit.
metalio::io::Result<void> flush_vectored(const TcpStream& stream, std::string& pending) {
    while (!pending.empty()) {
        const std::size_t half = pending.size() / 2;
        const metalio::sys::IoSlice parts[] = {io_slice(pending.data(), half),
                                               io_slice(pending.data() + half, pending.size() - half)};
        const auto wrote = stream.write_vectored(parts);
        if (wrote) {
            pending.erase(0, *wrote);
            continue;
        }
        if (metalio::io::is_interrupted(wrote.error())) continue;
        if (metalio::io::is_would_block(wrote.error())) return {};
        return std::unexpected(wrote.error());
    }
    return {};
}

}  // namespace

BEHAVIOUR("the stage-06 echo conversation works with write_vectored and read_vectored: greeting, two echoes, close") {
    Poll poll = make_poll();
    Pair pair = connected_pair();
    constexpr Token kClient{1};
    constexpr Token kServer{2};
    std::optional<TcpStream> server(std::move(pair.server));
    REQUIRE(poll.registry().register_(*server, kServer, Interest::READABLE | Interest::WRITABLE));
    REQUIRE(poll.registry().register_(pair.client, kClient, Interest::READABLE));

    // Server: greets, then echoes what it reads; closes at end-of-file.
    std::string server_pending = "Hello world!\n";
    std::string server_heard;
    // Client: after the greeting (and after each echo) sends the next message.
    const std::string messages[] = {"ping 1\n", "pong 2\n"};
    std::size_t sent = 0;
    std::string expected = "Hello world!\n";
    std::string client_heard;
    bool client_eof = false;

    const auto deadline = std::chrono::steady_clock::now() + kEventWait;
    while (!client_eof) {
        const bool in_time = std::chrono::steady_clock::now() < deadline;
        REQUIRE_MESSAGE(in_time, "the conversation stalled for 5 s; the client heard \"", printable(client_heard),
                        "\", the server heard \"", printable(server_heard), "\"");
        for (const Event event : poll_once(poll, 100ms)) {
            if (event.token() == kServer && server) {
                if (event.is_readable()) {
                    std::string got;
                    const auto closed = read_all_vectored(*server, got);
                    REQUIRE_MESSAGE(closed.has_value(), "the server's read_vectored failed: ", why(closed));
                    server_heard += got;
                    server_pending += got;  // echo
                    if (*closed) {
                        REQUIRE(poll.registry().deregister(*server));
                        server.reset();  // the client will read end-of-file
                        continue;
                    }
                }
                if (server_pending.empty()) continue;
                const auto flushed = flush_vectored(*server, server_pending);
                REQUIRE_MESSAGE(flushed.has_value(), "the server's write_vectored failed: ", why(flushed));
            }
            if (event.token() == kClient && event.is_readable()) {
                const auto closed = read_all_vectored(pair.client, client_heard);
                REQUIRE_MESSAGE(closed.has_value(), "the client's read_vectored failed: ", why(closed));
                client_eof = *closed;
                if (client_heard == expected) {
                    if (sent < std::size(messages)) {
                        std::string out = messages[sent++];
                        expected += out;
                        REQUIRE(flush_vectored(pair.client, out));
                        REQUIRE_MESSAGE(out.empty(), "a 7-byte write_vectored on an idle connection was short");
                    } else if (sent == std::size(messages)) {
                        ++sent;
                        REQUIRE(pair.client.shutdown(Shutdown::Write));  // "goodbye": the server sees end-of-file
                    }
                }
            }
        }
    }
    CHECK_MESSAGE(server_heard == "ping 1\npong 2\n", "the server heard \"", printable(server_heard), "\"");
    CHECK_MESSAGE(client_heard == "Hello world!\nping 1\npong 2\n", "the client heard \"", printable(client_heard), "\"");
    CHECK_MESSAGE(!server.has_value(), "the server never saw the client's end-of-file");
}
