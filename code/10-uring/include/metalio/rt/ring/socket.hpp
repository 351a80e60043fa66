/// @file
/// Socket and Operation: what the kernel may still use of a ring socket.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <system_error>

#include "metalio/io.hpp"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/net/tcp_stream.hpp"
#include "metalio/rt/wait_list.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/uring/buffer.hpp"
#include "metalio/uring/completion.hpp"

namespace metalio::rt::ring {

class IoDriver;
class Socket;
struct Operation;

/// Where a task waits for an Operation: a Waiter in the awaiter (in the
/// task's frame), with the way back to the operation. The awaiter's
/// destructor detaches it, so a cancelled task leaves no pointer behind.
/// Introduced in chapter 10 (uring).
struct Parked : Waiter {
    Operation* op = nullptr;  ///< The operation waited for; null once detached.
    bool closed = false;      ///< The socket was closed while the task waited.
};

// [operation]
/// One direction of a Socket: at most one operation in flight, and at most
/// one task parked on it. The operation's token is this record's address,
/// which stays valid until the completion is reaped: the record lives in
/// the Socket, and a Socket is freed only when nothing is in flight.
/// Introduced in chapter 10 (uring).
struct Operation {
    /// What the kernel is asked to do.
    enum class Kind : std::uint8_t { recv, send, accept };
    Kind kind;                          ///< Fixed per direction.
    bool in_flight = false;             ///< Submitted, completion not reaped yet.
    uring::OpId id{};                   ///< To cancel it.
    Parked* parked = nullptr;           ///< The task to wake at the completion.
    io::Result<std::size_t> result{0};  ///< A send's total, or what failed.
    Socket* socket = nullptr;           ///< The Socket it belongs to.
};
// [operation]

// [socket]
/// The part of a ring socket that must outlive the TcpStream or TcpListener
/// that made it (tokio-uring's `SharedFd`): the descriptor, the buffers the
/// kernel reads and writes, and the two Operations.
///
/// The ownership rule of completion I/O, kept here: the kernel never gets
/// memory of a task. A recv fills `inbox`, a send reads `outbox`, both
/// owned by this Socket (and, while an operation flies, by the uring
/// Driver's slot). The awaiters copy between these and the task's span
/// only when the task runs. When the TcpStream is destroyed the Socket is
/// *abandoned*: its operations are cancelled, and the IoDriver frees it,
/// closing the descriptor, once their completions have come back. Until
/// then the descriptor stays open, so its number cannot be reused under an
/// operation that still names it. Introduced in chapter 10 (uring).
class Socket {
public:
    /// Owns @p connection; its operations go to @p owner.
    Socket(IoDriver& owner, net::TcpStream connection) noexcept
        : driver(&owner), fd(connection.as_raw_fd()), stream(std::move(connection)) {}
    /// Owns @p server; its accepts go to @p owner.
    Socket(IoDriver& owner, net::TcpListener server) noexcept
        : driver(&owner), fd(server.as_raw_fd()), listener(std::move(server)) {
        input.kind = Operation::Kind::accept;
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    /// Closes the descriptor.
    ~Socket() = default;

    /// True while an operation is in flight.
    [[nodiscard]] bool busy() const noexcept { return input.in_flight || output.in_flight; }

    IoDriver* driver;                    ///< Null once the runtime is gone.
    int fd;                              ///< The descriptor, closed with the Socket, never earlier.
    std::optional<net::TcpStream> stream;      ///< A connection's socket, or
    std::optional<net::TcpListener> listener;  ///< a listener's.
    Operation input{Operation::Kind::recv, false, {}, nullptr, 0, this};   ///< recv, or a listener's accept.
    Operation output{Operation::Kind::send, false, {}, nullptr, 0, this};  ///< send.
    uring::Buffer inbox;                 ///< Received bytes: [consumed, len()) not read yet.
    std::size_t consumed = 0;            ///< How much of inbox was read.
    bool eof = false;                    ///< A recv returned 0: every read returns 0 now.
    std::optional<std::error_code> read_error;  ///< A recv failed: the next read gets it.
    uring::Buffer outbox;                ///< The bytes a send still has to send.
    std::size_t sent = 0;                ///< What the current send sent so far.
    sys::OwnedFd accepted{-1};           ///< A connection accepted with nobody waiting.
    bool abandoned = false;              ///< Its TcpStream or TcpListener is gone.
    Socket* prev = nullptr;              ///< In the IoDriver's list of sockets.
    Socket* next = nullptr;              ///< In the IoDriver's list of sockets.
};
// [socket]

}  // namespace metalio::rt::ring
