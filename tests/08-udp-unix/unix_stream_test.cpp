// Stage 08: posix::UnixListener and posix::UnixStream.
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <string>

#include "helpers.hpp"
#include "metalio/posix/unix_listener.hpp"

using metalio::Interest;
using metalio::Token;
using metalio::net::Shutdown;
using metalio::posix::SocketAddr;
using metalio::posix::UnixListener;
using metalio::posix::UnixStream;
using namespace stage08;

namespace {

/// Reads what arrives on @p stream (registered as token 1) until @p size
/// bytes or end-of-file.
std::string read_some(metalio::Poll& poll, const UnixStream& stream, std::size_t size) {
    std::string received;
    std::array<std::byte, 256> buffer{};
    for (int attempt = 0; attempt < 50 && received.size() < size; ++attempt) {
        const auto read = stream.read(buffer);
        if (read && *read == 0) break;
        if (read) {
            received += text(std::span(buffer).first(*read));
            continue;
        }
        REQUIRE_MESSAGE(metalio::io::is_would_block(read.error()), "read failed: ", why(read));
        (void)wait_for(poll, Token{1}, 1s);
    }
    return received;
}

std::pair<UnixStream, SocketAddr> accept_one(metalio::Poll& poll, const UnixListener& listener) {
    for (int attempt = 0; attempt < 50; ++attempt) {
        auto accepted = listener.accept();
        if (accepted) return std::move(*accepted);
        REQUIRE_MESSAGE(metalio::io::is_would_block(accepted.error()), "accept failed: ", why(accepted));
        (void)wait_for(poll, Token{0}, 1s);
    }
    FAIL("no connection to accept");
    throw 0;
}

}  // namespace

static_assert(!std::is_copy_constructible_v<UnixStream>);
static_assert(std::is_nothrow_move_constructible_v<UnixListener>);

TEST_CASE("a listener on a path accepts a client, both ends are non-blocking and close-on-exec") {
    const metalio::test::FdLeakCheck no_leak;
    const TempDir dir;
    const std::string path = dir.file("listener.sock");
    auto poll = make_poll();
    const auto listener = UnixListener::bind(path);
    REQUIRE_MESSAGE(listener.has_value(), "bind ", path, ": ", why(listener));
    CHECK(is_nonblocking(listener->as_raw_fd()));
    CHECK(is_cloexec(listener->as_raw_fd()));
    CHECK(listener->local_addr()->as_pathname() == std::string_view(path));
    REQUIRE(poll.registry().register_(*listener, Token{0}, Interest::READABLE));

    const auto client = UnixStream::connect(path);
    REQUIRE_MESSAGE(client.has_value(), "connect: ", why(client));
    CHECK(is_nonblocking(client->as_raw_fd()));
    CHECK(is_cloexec(client->as_raw_fd()));
    REQUIRE_MESSAGE(wait_for(poll, Token{0}).has_value(), "the listener did not become readable");
    auto [server, peer] = accept_one(poll, *listener);
    CHECK(is_nonblocking(server.as_raw_fd()));
    CHECK(is_cloexec(server.as_raw_fd()));
    CHECK_MESSAGE(peer.is_unnamed(), "a client that did not bind has no name, got ", peer);
    CHECK(client->peer_addr()->as_pathname() == std::string_view(path));
    CHECK(client->local_addr()->is_unnamed());

    REQUIRE(poll.registry().register_(server, Token{1}, Interest::READABLE));
    REQUIRE(client->write(std::string_view("over a path")) == 11u);
    CHECK(read_some(poll, server, 11) == "over a path");
    const auto second = listener->accept();
    REQUIRE_FALSE(second.has_value());
    CHECK(metalio::io::is_would_block(second.error()));
}

TEST_CASE("abstract addresses: listen and connect without a file") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    const auto addr = SocketAddr::from_abstract_name(abstract_name("stream"));
    REQUIRE(addr.has_value());
    const auto listener = UnixListener::bind_addr(*addr);
    REQUIRE_MESSAGE(listener.has_value(), why(listener));
    CHECK(listener->local_addr() == *addr);
    REQUIRE(poll.registry().register_(*listener, Token{0}, Interest::READABLE));
    const auto client = UnixStream::connect_addr(*addr);
    REQUIRE_MESSAGE(client.has_value(), why(client));
    auto [server, peer] = accept_one(poll, *listener);
    CHECK(server.local_addr() == *addr);
}

TEST_CASE("pair() gives two connected, unnamed, non-blocking streams that talk both ways") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    auto streams = UnixStream::pair();
    REQUIRE_MESSAGE(streams.has_value(), why(streams));
    auto& [a, b] = *streams;
    CHECK(is_nonblocking(a.as_raw_fd()));
    CHECK(is_cloexec(b.as_raw_fd()));
    CHECK(a.local_addr()->is_unnamed());
    CHECK(b.peer_addr()->is_unnamed());
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    const std::string_view first = "ab", second = "cd";
    const std::array<iovec, 2> out{iovec{const_cast<char*>(first.data()), 2}, iovec{const_cast<char*>(second.data()), 2}};
    REQUIRE(a.write_vectored(out) == 4u);
    REQUIRE(wait_for(poll, Token{1}).has_value());
    std::array<char, 1> x{};
    std::array<char, 8> rest{};
    const std::array<iovec, 2> in{iovec{x.data(), x.size()}, iovec{rest.data(), rest.size()}};
    REQUIRE(b.read_vectored(in) == 4u);
    CHECK(std::string(x.data(), 1) + std::string(rest.data(), 3) == "abcd");
}

TEST_CASE("peer_cred names this very process on both ends of a pair") {
    const metalio::test::FdLeakCheck no_leak;
    auto streams = UnixStream::pair();
    REQUIRE(streams.has_value());
    const auto cred = streams->first.peer_cred();
    REQUIRE_MESSAGE(cred.has_value(), why(cred));
    CHECK(cred->pid == ::getpid());
    CHECK(cred->uid == ::geteuid());
    CHECK(cred->gid == ::getegid());
}

TEST_CASE("shutdown(Write) makes the peer read end-of-file, writing after it is EPIPE, not SIGPIPE") {
    const metalio::test::FdLeakCheck no_leak;
    auto poll = make_poll();
    auto streams = UnixStream::pair();
    REQUIRE(streams.has_value());
    auto& [a, b] = *streams;
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    REQUIRE(a.shutdown(Shutdown::Write));
    const auto event = wait_for(poll, Token{1});
    REQUIRE(event.has_value());
    CHECK(event->is_read_closed());
    std::array<std::byte, 8> buffer{};
    CHECK(b.read(buffer) == 0u);
    const auto written = a.write(std::string_view("late"));
    REQUIRE_FALSE(written.has_value());
    CHECK(written.error() == std::errc::broken_pipe);
}

TEST_CASE("connecting to a missing path is ENOENT, to a file nobody listens on is ECONNREFUSED") {
    const metalio::test::FdLeakCheck no_leak;
    const TempDir dir;
    const auto missing = UnixStream::connect(dir.file("nobody-here.sock"));
    REQUIRE_FALSE(missing.has_value());
    CHECK_MESSAGE(missing.error() == std::errc::no_such_file_or_directory, "got ", missing.error());

    const std::string path = dir.file("closed.sock");
    { const auto listener = UnixListener::bind(path); REQUIRE(listener.has_value()); }
    // The listener is closed but its file stays: nobody accepts there.
    const auto refused = UnixStream::connect(path);
    REQUIRE_FALSE(refused.has_value());
    CHECK_MESSAGE(refused.error() == std::errc::connection_refused, "got ", refused.error());
}

TEST_CASE("a path too long for sun_path is ENAMETOOLONG before any socket is made") {
    const metalio::test::FdLeakCheck no_leak;
    const std::string path = "/tmp/" + std::string(200, 'p');
    const auto listener = UnixListener::bind(path);
    REQUIRE_FALSE(listener.has_value());
    CHECK(listener.error() == std::errc::filename_too_long);
    const auto client = UnixStream::connect(path);
    REQUIRE_FALSE(client.has_value());
    CHECK(client.error() == std::errc::filename_too_long);
}

TEST_CASE("binding a path that exists is EADDRINUSE, the file is not removed for you") {
    const metalio::test::FdLeakCheck no_leak;
    const TempDir dir;
    const std::string path = dir.file("twice.sock");
    const auto first = UnixListener::bind(path);
    REQUIRE(first.has_value());
    const auto second = UnixListener::bind(path);
    REQUIRE_FALSE(second.has_value());
    CHECK(second.error() == std::errc::address_in_use);
}

TEST_CASE("from_raw_fd / into_raw_fd hand a stream's fd over without closing it") {
    const metalio::test::FdLeakCheck no_leak;
    auto streams = UnixStream::pair();
    REQUIRE(streams.has_value());
    const int fd = std::move(streams->first).into_raw_fd();
    const UnixStream adopted = UnixStream::from_raw_fd(fd);
    CHECK(adopted.write(std::string_view("x")) == 1u);
    const auto pending = adopted.take_error();
    REQUIRE(pending.has_value());
    CHECK_FALSE(pending->has_value());
}
