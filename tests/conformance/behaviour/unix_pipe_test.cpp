// Behaviour suite, part 4b: the Unix-only sources of stage 08, after the
// behaviour mio's tests/unix_stream.rs, tests/unix_listener.rs,
// tests/unix_datagram.rs and tests/unix_pipe.rs pin down (written anew for
// metalio): edge-triggered Unix datagrams, queued connections, hang-ups of
// streams and pipes and the events that announce them, pipes to a child
// process. UDP is udp_test.cpp.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "behaviour.hpp"
#include "datagrams.hpp"
#include "metalio/posix/pipe.hpp"
#include "metalio/posix/unix_datagram.hpp"
#include "metalio/posix/unix_listener.hpp"

using namespace behaviour;
using metalio::posix::Receiver;
using metalio::posix::Sender;
using metalio::posix::UnixDatagram;
using metalio::posix::UnixListener;
using metalio::posix::UnixStream;

extern char** environ;

namespace {

std::string abstract_name(std::string_view what) {
    return "metalio-behaviour-" + std::to_string(::getpid()) + "-" + std::string(what);
}

}  // namespace

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

BEHAVIOUR("pipe: after the Sender closes, the Receiver reads what was sent, then end-of-file") {
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

// [pipe-drop-order]
// mio's tests/unix_pipe.rs pins the *shape* of what one end sees when the
// other is dropped: one event for the state before, then, in the very next
// poll, exactly one event for the end, with the closed flag of its own
// direction. Not an event per flag, not a repeat, and not lost because the
// first event was never "drained".
namespace {

/// One poll that must return exactly one event, with @p token; it is returned.
Event only_event(Poll& poll, Token token, const char* when) {
    // The change happened before this poll, so it returns at once with it.
    const std::vector<Event> events = poll_once(poll, kEventWait);
    REQUIRE_MESSAGE(events.size() == 1u, when, ": expected exactly one event, got ", events.size());
    REQUIRE_MESSAGE(events.front().token() == token, when, ": the event carries another token: ", events.front());
    return events.front();
}

}  // namespace

BEHAVIOUR("pipe: the Sender sees one writable event, then one write-closed event when the Receiver "
          "is dropped (mio: event_when_receiver_is_dropped)") {
    Poll poll = make_poll();
    auto ends = metalio::posix::pipe();
    REQUIRE_MESSAGE(ends.has_value(), why(ends));
    const Sender sender = std::move(ends->first);
    std::optional<Receiver> receiver(std::move(ends->second));
    REQUIRE(poll.registry().register_(sender, Token{1}, Interest::WRITABLE));

    const Event writable = only_event(poll, Token{1}, "an empty pipe, reader open");
    CHECK_MESSAGE(writable.is_writable(), writable);
    CHECK_MESSAGE(!writable.is_write_closed(), "the reader is still there: ", writable);

    receiver.reset();  // the read end closes; nothing was written or drained in between
    const Event closed = only_event(poll, Token{1}, "after the Receiver was dropped");
    CHECK_MESSAGE(closed.is_write_closed(), "the Sender must learn that nobody reads any more: ", closed);
    CHECK_MESSAGE(count_token(poll_once(poll, kQuietWait), Token{1}) == 0, "the end is reported once, not again");
    REQUIRE(poll.registry().deregister(sender));
}

BEHAVIOUR("pipe: the Receiver, data unread, sees one readable event, then one read-closed event when "
          "the Sender is dropped (mio: event_when_sender_is_dropped)") {
    Poll poll = make_poll();
    auto ends = metalio::posix::pipe();
    REQUIRE_MESSAGE(ends.has_value(), why(ends));
    std::optional<Sender> sender(std::move(ends->first));
    const Receiver receiver = std::move(ends->second);
    REQUIRE(poll.registry().register_(receiver, Token{2}, Interest::READABLE));
    REQUIRE(sender->write(std::string_view("unread")) == 6u);

    const Event readable = only_event(poll, Token{2}, "data in the pipe, writer open");
    CHECK_MESSAGE(readable.is_readable(), readable);
    CHECK_MESSAGE(!readable.is_read_closed(), "the writer is still there: ", readable);

    sender.reset();  // the data stays unread: the end is a new edge all the same
    const Event closed = only_event(poll, Token{2}, "after the Sender was dropped");
    CHECK_MESSAGE(closed.is_read_closed(), "the Receiver must learn that nobody writes any more: ", closed);
    CHECK_MESSAGE(count_token(poll_once(poll, kQuietWait), Token{2}) == 0, "the end is reported once, not again");
    std::array<std::byte, 16> buffer{};
    CHECK_MESSAGE(receiver.read(buffer) == 6u, "the data written before the end is still there");
    CHECK_MESSAGE(receiver.read(buffer) == 0u, "then end-of-file");
    REQUIRE(poll.registry().deregister(receiver));
}
// [pipe-drop-order]

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
