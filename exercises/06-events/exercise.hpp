// Exercise 06 — a chat server, with backpressure.
//
// The echo server of this chapter talks to each client alone. Write a
// server where everything one client sends goes to every *other* client:
//
//  - bind(): a TcpListener on `addr`, registered with a Poll of its own.
//  - turn(): one round of the event loop: poll once (at most `timeout`),
//    then handle every event. New clients are accepted (all of them: one
//    event can stand for many). Bytes a client sends are queued for every
//    other client, in order, and sent as the socket takes them.
//  - Backpressure. A socket takes what fits in its send buffer; the rest
//    waits in that client's own queue. Ask for WRITABLE *only while* that
//    queue is non-empty: reregister when it becomes non-empty, and again
//    (READABLE alone) when it has been sent. A client whose queue grows
//    past `max_pending` bytes is not reading: disconnect it, rather than
//    letting one slow reader hold the server's memory.
//  - A client that closes its side (a read of 0 bytes) or fails (any error
//    other than WouldBlock and Interrupted) is dropped and deregistered;
//    bytes it sent before closing are still delivered to the others.
//  - Only errors of the Poll itself or of the listener end turn() with an
//    error; a failing client is that client's problem.
//
// Everything through the stages so far: Poll, Registry, Token, Interest,
// net::TcpListener, net::TcpStream. The class keeps its state in a struct
// State that you define in your .cpp file.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "metalio/io.hpp"
#include "metalio/net/socket_addr.hpp"
#include "metalio/poll.hpp"

namespace metalio::exercise {

class ChatServer {
public:
    static io::Result<ChatServer> bind(const net::SocketAddr& addr, std::size_t max_pending);

    /// Polls once (waiting at most @p timeout) and handles every event.
    io::Result<void> turn(std::chrono::milliseconds timeout);

    /// The listener's address (port 0 in bind() becomes a real port here).
    [[nodiscard]] io::Result<net::SocketAddr> local_addr() const;

    /// How many clients are connected now.
    [[nodiscard]] std::size_t clients() const;

    /// The server's Poll, for the tests.
    [[nodiscard]] const Poll& poll() const;

    ChatServer(ChatServer&&) noexcept;
    ChatServer& operator=(ChatServer&&) noexcept;
    ~ChatServer();

    struct State;  // yours: define it in your .cpp

private:
    explicit ChatServer(std::unique_ptr<State> state) noexcept;
    std::unique_ptr<State> state_;
};

}  // namespace metalio::exercise
