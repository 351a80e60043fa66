// Exercise 05 — a level-triggered Poll.
//
// Poll reports an edge: "this source became readable" comes once, and a
// program that reads half of what is there and polls again may wait
// forever for an event that will not be repeated (the chapter, "What
// poll() promises", and chapter 02 on EPOLLET). Write LevelPoll, an
// adapter over Poll that reports *levels*, as poll(2) or epoll without
// EPOLLET would: a direction that was reported ready stays reported, on
// every poll(), until the program says it has used it up.
//
//  - poll(out, timeout) replaces `out` with one LevelEvent per token that
//    has anything to report (a token with nothing to report has no entry;
//    the order of the entries does not matter). What a Poll event says is
//    remembered: readable, writable, read-closed, write-closed, error.
//  - would_block(token, direction): the program's read (direction
//    READABLE) or write (WRITABLE) on that token returned WouldBlock. Only
//    then does the adapter stop reporting that direction for the token,
//    and the next edge of the Poll turns it on again. It forgets only the
//    direction it is told about: READABLE | WRITABLE forgets both.
//  - read-closed, write-closed and error are final: a closed or failed
//    source does not recover, and a read of a closed stream returns 0,
//    never WouldBlock. Keep reporting them until the token is forgotten.
//  - forget(token) drops everything remembered about the token.
//    deregister() (written for you below) calls it: a deregistered source
//    gets no more events, and its token may be given to another source
//    that must not inherit the old one's readiness.
//  - Never sleep while something is still remembered: then the Poll is
//    asked with a zero timeout, only to collect edges that came since.
//    With nothing remembered, sleep in the kernel: give the Poll the
//    time that is left of `timeout` (no timeout: wait as long as it
//    takes), never a zero timeout in a loop.
//  - Poll at least once per call, even with a zero timeout.
//  - A signal ends the Poll's wait with an error for which
//    io::is_interrupted() is true. That is not a failure: poll again,
//    for the time that is left, not for a fresh `timeout`. Any other error
//    of the Poll is returned unchanged.
//
// Register and reregister sources through registry(), as with a Poll.
// The tests use metalio's own I/O types (TcpStream) where they read and
// write to WouldBlock: those re-arm the poll(2) selector themselves
// (chapter 03), so the adapter never has to. Everything through stage 05:
// Poll, Events, Event, Token, Interest.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include "metalio/poll.hpp"

namespace metalio::exercise {

/// What LevelPoll reports for one token: the directions it holds ready.
struct LevelEvent {
    Token token;
    bool readable = false;
    bool writable = false;
    bool read_closed = false;
    bool write_closed = false;
    bool error = false;
};

class LevelPoll {
public:
    static io::Result<LevelPoll> create();

    /// Register and reregister sources here, as with Poll::registry().
    [[nodiscard]] const Registry& registry() const noexcept;

    /// Replaces @p out with every token's remembered readiness, after
    /// collecting new edges: waits at most @p timeout (nullopt: no limit)
    /// when nothing is remembered, not at all when something is.
    io::Result<void> poll(std::vector<LevelEvent>& out, std::optional<std::chrono::milliseconds> timeout);

    /// The program's I/O in @p direction on @p token returned WouldBlock.
    void would_block(Token token, Interest direction);

    /// Forgets everything remembered about @p token.
    void forget(Token token);

    /// Deregisters @p source (registered under @p token) and forgets the token.
    template <class S>
        requires Source<std::remove_cvref_t<S>>
    io::Result<void> deregister(S&& source, Token token) {
        forget(token);
        return registry().deregister(source);
    }

    LevelPoll(LevelPoll&&) noexcept;
    LevelPoll& operator=(LevelPoll&&) noexcept;
    ~LevelPoll();

    struct State;  // yours: define it in your .cpp

private:
    explicit LevelPoll(std::unique_ptr<State> state) noexcept;
    std::unique_ptr<State> state_;
};

}  // namespace metalio::exercise
