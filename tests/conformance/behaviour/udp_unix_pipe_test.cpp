// Behaviour suite, part 4: the sources of stage 08, after the behaviour
// mio's tests/udp_socket.rs, tests/unix_stream.rs, tests/unix_listener.rs,
// tests/unix_datagram.rs and tests/unix_pipe.rs pin down (written anew for
// metalio): edge-triggered readiness with many queued datagrams, events
// after deregister/reregister, hang-ups of streams and pipes, pipes to a
// child process.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <string>

#include "behaviour.hpp"
#include "metalio/net/udp_socket.hpp"
#include "metalio/posix/pipe.hpp"
#include "metalio/posix/unix_datagram.hpp"
#include "metalio/posix/unix_listener.hpp"

using namespace behaviour;
using metalio::net::UdpSocket;
using metalio::posix::Receiver;
using metalio::posix::Sender;
using metalio::posix::UnixDatagram;
using metalio::posix::UnixListener;
using metalio::posix::UnixStream;

extern char** environ;

namespace {

UdpSocket udp(const SocketAddr& where = localhost_v4()) {
    auto socket = UdpSocket::bind(where);
    REQUIRE_MESSAGE(socket.has_value(), "UdpSocket::bind failed: ", why(socket));
    return std::move(*socket);
}

SocketAddr address_of(const UdpSocket& socket) {
    const auto address = socket.local_addr();
    REQUIRE_MESSAGE(address.has_value(), "local_addr failed: ", why(address));
    return *address;
}

std::string abstract_name(std::string_view what) {
    return "metalio-behaviour-" + std::to_string(::getpid()) + "-" + std::string(what);
}

/// Receives (recv) until WouldBlock; how many datagrams came.
template <class Socket>
std::size_t drain_datagrams(const Socket& socket) {
    std::array<std::byte, 2048> buffer{};
    std::size_t count = 0;
    for (;;) {
        const auto received = socket.recv(buffer);
        if (received) {
            ++count;
            continue;
        }
        REQUIRE_MESSAGE(metalio::io::is_would_block(received.error()), "recv failed: ", why(received));
        return count;
    }
}

/// The datagram-socket rule of chapter 08 for any pair of connected
/// datagram sockets: one event for many datagrams, no new event while some
/// are left unread, a new one after draining to WouldBlock.
template <class Socket>
void check_edge_triggered_datagrams(const Socket& sender, const Socket& receiver) {
    Poll poll = make_poll();
    REQUIRE(poll.registry().register_(receiver, Token{1}, Interest::READABLE));
    for (const char* datagram : {"one", "two", "three"}) REQUIRE(sender.send(bytes(datagram)));
    const auto first = wait_for(poll, Token{1});
    REQUIRE_MESSAGE(first.has_value(), "three datagrams queued but no readable event");
    CHECK(first->is_readable());

    std::array<std::byte, 64> buffer{};
    REQUIRE_MESSAGE(receiver.recv(buffer) == 3u, "the first receive returns exactly the first datagram");
    CHECK_MESSAGE(count_token(poll_once(poll, kQuietWait), Token{1}) == 0,
                  "edge-triggered: two datagrams are still queued but nothing new arrived, so no new event");
    CHECK_MESSAGE(drain_datagrams(receiver) == 2u, "the two datagrams left behind are still queued");

    REQUIRE(sender.send(bytes("four")));
    CHECK_MESSAGE(wait_for(poll, Token{1}).has_value(), "after draining to WouldBlock a new datagram is a new edge");
    CHECK(drain_datagrams(receiver) == 1u);
}

}  // namespace

BEHAVIOUR("UDP: three queued datagrams are one readable event, unread ones bring no new event until drained") {
    const UdpSocket a = udp();
    const UdpSocket b = udp();
    REQUIRE(a.connect(address_of(b)));
    REQUIRE(b.connect(address_of(a)));
    check_edge_triggered_datagrams(a, b);
}

BEHAVIOUR("UDP: a new socket is writable at once, IPv6 sockets exchange datagrams") {
    Poll poll = make_poll();
    const UdpSocket a = udp(localhost_v6());
    const UdpSocket b = udp(localhost_v6());
    REQUIRE(poll.registry().register_(a, Token{1}, Interest::WRITABLE));
    REQUIRE(poll.registry().register_(b, Token{2}, Interest::READABLE));
    const auto writable = wait_for(poll, Token{1});
    REQUIRE_MESSAGE(writable.has_value(), "an idle UDP socket should be writable");
    CHECK(writable->is_writable());
    REQUIRE(a.send_to(bytes("v6"), address_of(b)) == 2u);
    REQUIRE(wait_for(poll, Token{2}).has_value());
    std::array<std::byte, 8> buffer{};
    const auto received = b.recv_from(buffer);
    REQUIRE_MESSAGE(received.has_value(), why(received));
    CHECK(received->second == address_of(a));
}

BEHAVIOUR("UDP: no events after deregister, reregister with a new token delivers under the new token") {
    Poll poll = make_poll();
    const UdpSocket a = udp();
    const UdpSocket b = udp();
    REQUIRE(poll.registry().register_(b, Token{1}, Interest::READABLE));
    REQUIRE(poll.registry().deregister(b));
    REQUIRE(a.send_to(bytes("unseen"), address_of(b)));
    CHECK_MESSAGE(poll_once(poll, kQuietWait).empty(), "a deregistered socket must produce no event");
    CHECK_MESSAGE(drain_datagrams(b) == 1u, "the datagram arrived all the same: only the event is missing");

    REQUIRE(poll.registry().register_(b, Token{1}, Interest::WRITABLE));
    REQUIRE(poll.registry().reregister(b, Token{7}, Interest::READABLE));
    REQUIRE(a.send_to(bytes("seen"), address_of(b)));
    const auto event = wait_for(poll, Token{7});
    REQUIRE_MESSAGE(event.has_value(), "no event under the new token");
    CHECK(event->is_readable());
}

BEHAVIOUR("UDP: connect can be changed, then only the new peer's datagrams arrive") {
    Poll poll = make_poll();
    const UdpSocket a = udp();
    const UdpSocket first = udp();
    const UdpSocket second = udp();
    REQUIRE(poll.registry().register_(a, Token{1}, Interest::READABLE));
    REQUIRE(a.connect(address_of(first)));
    REQUIRE(a.connect(address_of(second)));
    CHECK(a.peer_addr() == address_of(second));
    REQUIRE(first.send_to(bytes("old"), address_of(a)));
    REQUIRE(second.send_to(bytes("new"), address_of(a)));
    REQUIRE(wait_for(poll, Token{1}).has_value());
    std::array<std::byte, 8> buffer{};
    const auto received = a.recv(buffer);
    REQUIRE_MESSAGE(received.has_value(), why(received));
    CHECK(std::string(reinterpret_cast<const char*>(buffer.data()), *received) == "new");
}

BEHAVIOUR("Unix datagram pair: the same edge-triggered rule as UDP") {
    auto pair = UnixDatagram::pair();
    REQUIRE_MESSAGE(pair.has_value(), why(pair));
    check_edge_triggered_datagrams(pair->first, pair->second);
}

BEHAVIOUR("Unix listener: three queued connections are one event, accept until WouldBlock takes all three") {
    Poll poll = make_poll();
    const auto where = metalio::posix::SocketAddr::from_abstract_name(abstract_name("listener"));
    REQUIRE(where.has_value());
    const auto listener = UnixListener::bind_addr(*where);
    REQUIRE_MESSAGE(listener.has_value(), why(listener));
    REQUIRE(poll.registry().register_(*listener, Token{0}, Interest::READABLE));
    std::vector<UnixStream> clients;
    for (int i = 0; i < 3; ++i) {
        auto client = UnixStream::connect_addr(*where);
        REQUIRE_MESSAGE(client.has_value(), why(client));
        clients.push_back(std::move(*client));
    }
    REQUIRE(wait_for(poll, Token{0}).has_value());
    int accepted = 0;
    for (;;) {
        const auto next = listener->accept();
        if (!next) {
            CHECK(metalio::io::is_would_block(next.error()));
            break;
        }
        ++accepted;
    }
    CHECK(accepted == 3);
    CHECK_MESSAGE(count_token(poll_once(poll, kQuietWait), Token{0}) == 0, "nothing new queued, no new event");
}

BEHAVIOUR("Unix stream: the peer closing is read-closed, then end-of-file, writing then is EPIPE") {
    Poll poll = make_poll();
    auto pair = UnixStream::pair();
    REQUIRE(pair.has_value());
    UnixStream a = std::move(pair->first);
    REQUIRE(poll.registry().register_(a, Token{1}, Interest::READABLE | Interest::WRITABLE));
    { const UnixStream gone = std::move(pair->second); }
    const auto event = wait_for(poll, Token{1});
    REQUIRE(event.has_value());
    CHECK(event->is_read_closed());
    std::array<std::byte, 8> buffer{};
    CHECK(a.read(buffer) == 0u);
    const auto written = a.write(std::string_view("x"));
    REQUIRE_FALSE(written.has_value());
    CHECK(written.error() == std::errc::broken_pipe);
}

BEHAVIOUR("Unix stream: a large transfer through a pair arrives whole, with WouldBlock and WRITABLE in between") {
    Poll poll = make_poll();
    auto pair = UnixStream::pair();
    REQUIRE(pair.has_value());
    const auto& [writer, reader] = *pair;
    const auto both = Interest::READABLE | Interest::WRITABLE;
    REQUIRE(poll.registry().register_(writer, Token{1}, both));
    REQUIRE(poll.registry().register_(reader, Token{2}, both));
    std::string data(4u << 20, '\0');
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
    std::size_t sent = 0;
    std::string received;
    std::vector<std::byte> buffer(64 * 1024);
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (received.size() < data.size()) {
        REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "transfer stalled at ", received.size());
        while (sent < data.size()) {
            const auto written = writer.write(std::string_view(data).substr(sent));
            if (!written) {
                REQUIRE_MESSAGE(metalio::io::is_would_block(written.error()), why(written));
                break;
            }
            sent += *written;
        }
        for (;;) {
            const auto read = reader.read(buffer);
            if (!read) {
                REQUIRE_MESSAGE(metalio::io::is_would_block(read.error()), why(read));
                break;
            }
            received.append(reinterpret_cast<const char*>(buffer.data()), *read);
        }
        if (received.size() < data.size()) (void)poll_once(poll, 1s);
    }
    CHECK(received == data);
}

BEHAVIOUR("pipe: after the Sender closes, the Receiver reads what was sent, then end-of-file (mio: event_when_sender_is_dropped)") {
    Poll poll = make_poll();
    auto ends = metalio::posix::pipe();
    REQUIRE(ends.has_value());
    Receiver receiver = std::move(ends->second);
    REQUIRE(poll.registry().register_(receiver, Token{1}, Interest::READABLE));
    REQUIRE(ends->first.write(std::string_view("last words")) == 10u);
    REQUIRE(wait_for(poll, Token{1}).has_value());
    { const Sender gone = std::move(ends->first); }
    std::array<std::byte, 32> buffer{};
    CHECK(receiver.read(buffer) == 10u);
    // The hang-up arrived after the data: either it came with the first
    // event already, or it is a new edge now. Either way read says 0 next.
    CHECK(receiver.read(buffer) == 0u);
}

BEHAVIOUR("pipe: a Sender whose Receiver is gone gets a write-closed or error event and EPIPE") {
    Poll poll = make_poll();
    auto ends = metalio::posix::pipe();
    REQUIRE(ends.has_value());
    Sender sender = std::move(ends->first);
    { const Receiver gone = std::move(ends->second); }
    REQUIRE(poll.registry().register_(sender, Token{1}, Interest::WRITABLE));
    const auto event = wait_for(poll, Token{1});
    REQUIRE(event.has_value());
    CHECK_MESSAGE((event->is_write_closed() || event->is_error()), "the reader is gone: the event should say so");
    const auto written = sender.write(std::string_view("x"));
    REQUIRE_FALSE(written.has_value());
    CHECK(written.error() == std::errc::broken_pipe);
}

BEHAVIOUR("pipe: a child process reads our Sender and writes our Receiver (mio: from_child_process_io)") {
    Poll poll = make_poll();
    auto to_child = metalio::posix::pipe();
    auto from_child = metalio::posix::pipe();
    REQUIRE(to_child.has_value());
    REQUIRE(from_child.has_value());
    // The child's ends must be blocking (cat expects that); the spawn's
    // dup2 gives the child copies without close-on-exec.
    REQUIRE(to_child->second.set_nonblocking(false));
    REQUIRE(from_child->first.set_nonblocking(false));
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_adddup2(&actions, to_child->second.as_raw_fd(), STDIN_FILENO);
    ::posix_spawn_file_actions_adddup2(&actions, from_child->first.as_raw_fd(), STDOUT_FILENO);
    pid_t child = 0;
    char cat[] = "/bin/cat";
    char* argv[] = {cat, nullptr};
    const int spawned = ::posix_spawn(&child, "/bin/cat", &actions, nullptr, argv, environ);
    ::posix_spawn_file_actions_destroy(&actions);
    REQUIRE(spawned == 0);
    Sender stdin_of_child = std::move(to_child->first);
    Receiver stdout_of_child = std::move(from_child->second);
    { const Receiver child_in = std::move(to_child->second); const Sender child_out = std::move(from_child->first); }

    REQUIRE(poll.registry().register_(stdout_of_child, Token{1}, Interest::READABLE));
    REQUIRE(stdin_of_child.write(std::string_view("round trip\n")) == 11u);
    { const Sender done = std::move(stdin_of_child); }  // cat sees end-of-file and exits
    std::string output;
    std::array<std::byte, 64> buffer{};
    for (int attempt = 0; attempt < 100; ++attempt) {
        const auto read = stdout_of_child.read(buffer);
        if (read && *read == 0) break;
        if (read) {
            output.append(reinterpret_cast<const char*>(buffer.data()), *read);
            continue;
        }
        REQUIRE_MESSAGE(metalio::io::is_would_block(read.error()), why(read));
        (void)wait_for(poll, Token{1}, 1s);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(output == "round trip\n");
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
}
