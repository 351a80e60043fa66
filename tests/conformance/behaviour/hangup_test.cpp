// Behaviour suite, part 4: hang-ups and errors that come after every
// interest has fired. epoll reports EPOLLHUP and EPOLLERR whatever the
// interest mask, as one new edge; mio's poll(2) backend reports them too.
// The poll(2) selector must not lose them because its emulated edge has
// disarmed everything that was asked for (issue #7).
//
// The two stream cases mean the same on Windows: the IOCP selector emulates
// edges too, and it must disarm only the AFD flags that fired, as mio does
// (`user_evts &= !afd_events` in its SockState::feed_event). Disarming
// AFD_POLL_ABORT together with the interest that fired (ABORT belongs to
// both its readable and its writable flag sets) lost the reset: both cases
// failed under Wine until stage 02 was fixed (issue #10). The pipe case is
// Unix only: the AFD driver polls sockets only.
#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#include "behaviour.hpp"
#if !defined(_WIN32)
#include "metalio/posix/source_fd.hpp"
#include "metalio/sys/owned_fd.hpp"
#endif

using namespace behaviour;
#if !defined(_WIN32)
using metalio::posix::SourceFd;
using metalio::sys::OwnedFd;
#endif

namespace {

/// Closes @p stream so that its peer receives a reset (RST), not a FIN:
/// SO_LINGER with a zero timeout makes close() abort the connection.
void reset_connection(TcpStream stream) {
    const linger abort_on_close{1, 0};
#if defined(_WIN32)
    REQUIRE_MESSAGE(::setsockopt(stream.as_raw_socket(), SOL_SOCKET, SO_LINGER,
                                 reinterpret_cast<const char*>(&abort_on_close), sizeof abort_on_close) == 0,
                    "setsockopt(SO_LINGER) failed: ", ::WSAGetLastError());
#else
    REQUIRE_MESSAGE(::setsockopt(stream.as_raw_fd(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close) == 0,
                    "setsockopt(SO_LINGER) failed: ", metalio::io::last_os_error());
#endif
}  // `stream` is closed here

/// Waits for the event of @p token that says the source hung up or failed.
/// Events before it (the ones the test did not wait for) are skipped.
std::optional<Event> wait_for_hangup(Poll& poll, Token token) {
    const auto deadline = std::chrono::steady_clock::now() + kEventWait;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left <= std::chrono::milliseconds::zero()) return std::nullopt;
        const auto event = wait_for(poll, token, left);
        if (!event) return std::nullopt;
        if (event->is_error() || event->is_write_closed()) return event;
        MESSAGE("skipped ", *event);
    }
}

/// The first event of @p token, which must be writable (@p what: the source, for the message).
void require_writable_first(Poll& poll, Token token, const char* what) {
    const auto writable = wait_for(poll, token);
    REQUIRE_MESSAGE(writable.has_value(), what, " did not become writable");
    REQUIRE_MESSAGE(writable->is_writable(), "the first event of ", what, " was not writable: ", *writable);
}

/// After the hang-up was reported once, nothing more comes (an edge, not a level).
void check_reported_once(Poll& poll, Token token, const char* what) {
    const auto again = poll_once(poll, kQuietWait);
    CHECK_MESSAGE(count_token(again, token) == 0, what,
                  ": the hang-up was reported again without a new change (a busy loop under poll(2))");
}

}  // namespace

BEHAVIOUR("a stream registered WRITABLE reports the peer's reset after its writable event") {
    Poll poll = make_poll();
    Pair pair = connected_pair();
    REQUIRE(poll.registry().register_(pair.client, Token{1}, Interest::WRITABLE));
    require_writable_first(poll, Token{1}, "a fresh connection");

    reset_connection(std::move(pair.server));
    const auto hangup = wait_for_hangup(poll, Token{1});
    REQUIRE_MESSAGE(hangup.has_value(),
                    "the peer reset the connection, but no error or hang-up event came within 5 s "
                    "(after the writable event, only the reset could report it)");
    CHECK_MESSAGE(hangup->is_write_closed(), "after a reset the write half is closed: ", *hangup);
    check_reported_once(poll, Token{1}, "writable stream reset by its peer");
    REQUIRE(poll.registry().deregister(pair.client));
}

#if !defined(_WIN32)  // the AFD driver polls sockets only
BEHAVIOUR("a pipe's write end registered WRITABLE reports that its reader closed, after its writable event") {
    Poll poll = make_poll();
    int ends[2];
    REQUIRE_MESSAGE(metalio::test::pipe(ends) == 0, "pipe2 failed: ", metalio::io::last_os_error());
    OwnedFd reader(ends[0]);
    const OwnedFd writer(ends[1]);
    REQUIRE(poll.registry().register_(SourceFd{writer.get()}, Token{2}, Interest::WRITABLE));
    require_writable_first(poll, Token{2}, "an empty pipe's write end");

    reader = OwnedFd(-1);  // close the read end
    const auto hangup = wait_for_hangup(poll, Token{2});
    REQUIRE_MESSAGE(hangup.has_value(), "the pipe's reader closed, but its write end reported nothing within 5 s");
    CHECK_MESSAGE(hangup->is_write_closed(), "a write end whose reader closed is write-closed: ", *hangup);
    check_reported_once(poll, Token{2}, "pipe write end whose reader closed");
    REQUIRE(poll.registry().deregister(SourceFd{writer.get()}));
}
#endif

BEHAVIOUR("a stream registered READABLE reports a reset after its read-closed event") {
    Poll poll = make_poll();
    Pair pair = connected_pair();
    REQUIRE(poll.registry().register_(pair.client, Token{3}, Interest::READABLE));
    REQUIRE(pair.server.shutdown(metalio::net::Shutdown::Write));
    const auto closed = wait_for(poll, Token{3});
    REQUIRE_MESSAGE(closed.has_value(), "the peer shut down its write half, but no event came within 5 s");
    REQUIRE_MESSAGE(closed->is_read_closed(), "the peer's shutdown(Write) should read as read-closed: ", *closed);
    // Not drained: end-of-file is not WouldBlock, so nothing re-arms READABLE.

    reset_connection(std::move(pair.server));
    const auto hangup = wait_for_hangup(poll, Token{3});
    REQUIRE_MESSAGE(hangup.has_value(),
                    "the peer reset the connection after its shutdown, but no error or hang-up event came "
                    "within 5 s (READABLE had already fired: only the reset could report it)");
    check_reported_once(poll, Token{3}, "read-closed stream reset by its peer");
    REQUIRE(poll.registry().deregister(pair.client));
}
