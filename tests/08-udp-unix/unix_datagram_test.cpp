// Stage 08: posix::UnixDatagram: bound, unbound, pairs, connect, bad input.
#include <sys/socket.h>

#include <array>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "metalio/posix/unix_datagram.hpp"

using metalio::Interest;
using metalio::Token;
using metalio::net::Shutdown;
using metalio::posix::SocketAddr;
using metalio::posix::UnixDatagram;
using namespace stage08;

namespace {

UnixDatagram bound(const std::string& path) {
    auto socket = UnixDatagram::bind(path);
    REQUIRE_MESSAGE(socket.has_value(), "bind ", path, ": ", why(socket));
    return std::move(*socket);
}

}  // namespace

TEST_CASE("send_to a path reaches a bound socket, recv_from names the sender's path") {
    const metalio::test::FdLeakCheck no_leak;
    const TempDir dir;
    auto poll = make_poll();
    const UnixDatagram a = bound(dir.file("a.sock"));
    const UnixDatagram b = bound(dir.file("b.sock"));
    CHECK(is_nonblocking(a.as_raw_fd()));
    CHECK(is_cloexec(a.as_raw_fd()));
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    REQUIRE(a.send_to(bytes("to b"), dir.file("b.sock")) == 4u);
    REQUIRE(wait_for(poll, Token{1}).has_value());
    std::array<std::byte, 64> buffer{};
    const auto received = b.recv_from(buffer);
    REQUIRE_MESSAGE(received.has_value(), why(received));
    CHECK(text(std::span(buffer).first(received->first)) == "to b");
    CHECK(received->second.as_pathname() == std::string_view(dir.file("a.sock")));
}

TEST_CASE("an unbound socket can send, its datagrams come from an unnamed address") {
    const metalio::test::FdLeakCheck no_leak;
    const TempDir dir;
    auto poll = make_poll();
    const auto sender = UnixDatagram::unbound();
    REQUIRE_MESSAGE(sender.has_value(), why(sender));
    CHECK(sender->local_addr()->is_unnamed());
    const UnixDatagram receiver = bound(dir.file("r.sock"));
    REQUIRE(poll.registry().register_(receiver, Token{1}, Interest::READABLE));
    REQUIRE(sender->send_to(bytes("anon"), dir.file("r.sock")));
    REQUIRE(wait_for(poll, Token{1}).has_value());
    std::array<std::byte, 16> buffer{};
    const auto received = receiver.recv_from(buffer);
    REQUIRE(received.has_value());
    CHECK(received->second.is_unnamed());
}

TEST_CASE("pair(): datagram boundaries are kept, peek does not consume, shutdown(Write) ends sending") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    auto pair = UnixDatagram::pair();
    REQUIRE_MESSAGE(pair.has_value(), why(pair));
    auto& [a, b] = *pair;
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    REQUIRE(a.send(bytes("first")) == 5u);
    REQUIRE(a.send(bytes("second")) == 6u);
    REQUIRE(wait_for(poll, Token{1}).has_value());
    std::array<std::byte, 64> buffer{};
    CHECK(b.peek(buffer) == 5u);
    CHECK(b.recv(buffer) == 5u);
    CHECK(text(std::span(buffer).first(5)) == "first");
    CHECK(b.recv(buffer) == 6u);
    const auto empty = b.recv(buffer);
    REQUIRE_FALSE(empty.has_value());
    CHECK(metalio::io::is_would_block(empty.error()));

    REQUIRE(a.shutdown(Shutdown::Write));
    const auto late = a.send(bytes("late"));
    REQUIRE_FALSE(late.has_value());
    CHECK(late.error() == std::errc::broken_pipe);
}

TEST_CASE("connect to a bound socket makes send/recv work and peer_addr name it") {
    const metalio::test::FdLeakCheck no_leak;
    const TempDir dir;
    auto poll = make_poll();
    const UnixDatagram server = bound(dir.file("server.sock"));
    const auto client = UnixDatagram::unbound();
    REQUIRE(client.has_value());
    const auto before = client->peer_addr();
    REQUIRE_FALSE(before.has_value());
    CHECK(before.error() == std::errc::not_connected);
    REQUIRE(client->connect(dir.file("server.sock")));
    CHECK(client->peer_addr()->as_pathname() == std::string_view(dir.file("server.sock")));
    REQUIRE(poll.registry().register_(server, Token{1}, Interest::READABLE));
    REQUIRE(client->send(bytes("hi")) == 2u);
    REQUIRE(wait_for(poll, Token{1}).has_value());
    std::array<std::byte, 8> buffer{};
    CHECK(server.recv(buffer) == 2u);
}

TEST_CASE("abstract datagram sockets talk without files") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const auto where = SocketAddr::from_abstract_name(abstract_name("dgram"));
    REQUIRE(where.has_value());
    const auto receiver = UnixDatagram::bind_addr(*where);
    REQUIRE_MESSAGE(receiver.has_value(), why(receiver));
    const auto sender = UnixDatagram::unbound();
    REQUIRE(sender.has_value());
    REQUIRE(poll.registry().register_(*receiver, Token{1}, Interest::READABLE));
    REQUIRE(sender->send_to_addr(bytes("abstract"), *where) == 8u);
    REQUIRE(wait_for(poll, Token{1}).has_value());
    std::array<std::byte, 16> buffer{};
    CHECK(receiver->recv(buffer) == 8u);
}

TEST_CASE("bad input: a missing path, a too-long path, an oversized datagram") {
    const metalio::test::FdLeakCheck no_leak;
    const TempDir dir;
    const auto socket = UnixDatagram::unbound();
    REQUIRE(socket.has_value());
    const auto missing = socket->send_to(bytes("x"), dir.file("missing.sock"));
    REQUIRE_FALSE(missing.has_value());
    CHECK_MESSAGE(missing.error() == std::errc::no_such_file_or_directory, "got ", missing.error());
    const auto not_connected = socket->connect(dir.file("missing.sock"));
    REQUIRE_FALSE(not_connected.has_value());
    CHECK(not_connected.error() == std::errc::no_such_file_or_directory);

    const std::string long_path = "/tmp/" + std::string(SocketAddr::max_pathname, 'l');
    const auto too_long = socket->send_to(bytes("x"), long_path);
    REQUIRE_FALSE(too_long.has_value());
    CHECK(too_long.error() == std::errc::filename_too_long);
    const auto bind_long = UnixDatagram::bind(long_path);
    REQUIRE_FALSE(bind_long.has_value());
    CHECK(bind_long.error() == std::errc::filename_too_long);

    auto pair = UnixDatagram::pair();
    REQUIRE(pair.has_value());
    // Far more than the socket's send buffer: a datagram is never split, so this is EMSGSIZE.
    const std::vector<std::byte> huge(16u << 20);
    const auto sent = pair->first.send(huge);
    REQUIRE_FALSE(sent.has_value());
    CHECK_MESSAGE(sent.error() == std::errc::message_size, "got ", sent.error());
}

TEST_CASE("a full receive queue makes send WouldBlock instead of dropping, and WRITABLE comes back") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    auto pair = UnixDatagram::pair();
    REQUIRE(pair.has_value());
    auto& [a, b] = *pair;
    REQUIRE(poll.registry().register_(a, Token{2}, Interest::WRITABLE));
    std::size_t sent = 0;
    for (;; ++sent) {
        const auto result = a.send(bytes("datagram"));
        if (!result) {
            REQUIRE_MESSAGE(metalio::io::is_would_block(result.error()), "send failed: ", why(result));
            break;
        }
        REQUIRE(sent < 1'000'000);
    }
    CHECK(sent > 0);
    (void)wait_for(poll, Token{2}, 50ms);  // take the first WRITABLE edge, if still pending
    std::array<std::byte, 16> buffer{};
    for (std::size_t i = 0; i < sent; ++i) REQUIRE_MESSAGE(b.recv(buffer) == 8u, "datagram ", i, " of ", sent);
    CHECK_MESSAGE(wait_for(poll, Token{2}).has_value(), "after the queue drained the sender should be writable again");
}
