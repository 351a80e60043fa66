/// @file
/// IoDriver: the ring runtime's I/O driver, completions into woken tasks.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

#include "metalio/io.hpp"
#include "metalio/rt/executor.hpp"
#include "metalio/rt/ring/socket.hpp"
#include "metalio/rt/timers.hpp"
#include "metalio/uring/driver.hpp"

namespace metalio::rt::ring {

// [io-driver]
/// The ring runtime's I/O driver, where stage 09 has its Reactor: submits
/// each Socket's operations to a uring::Driver, and after each wait turns
/// their completions into woken tasks (tokio-uring's driver).
///
/// An operation's token is the address of its Operation record; the
/// Socket holding it is freed only when no operation is in flight, so a
/// completion always finds its record. A Socket whose TcpStream is gone
/// (abandoned) submits nothing new: its operations are cancelled, and the
/// completion that ends the last one frees it. Not movable (Sockets point
/// to it). Introduced in chapter 10 (uring).
class IoDriver {
public:
    /// Drives @p driver; wakes tasks on @p executor.
    IoDriver(uring::Driver driver, Executor& executor) noexcept;
    IoDriver(const IoDriver&) = delete;
    IoDriver& operator=(const IoDriver&) = delete;
    /// Frees the abandoned Sockets and tells the others that the runtime is
    /// gone; the uring::Driver then cancels what is in flight and waits for
    /// the kernel to let go of its buffers.
    ~IoDriver();

    /// The IoDriver of the ring runtime running on this thread, or nullptr.
    static IoDriver* current() noexcept { return current_; }
    /// Makes an IoDriver current for a scope (Runtime::block_on).
    class Enter {
    public:
        /// Makes @p driver current.
        explicit Enter(IoDriver& driver) noexcept : previous_(current_) { current_ = &driver; }
        /// Restores the previous one.
        ~Enter() { current_ = previous_; }
        Enter(const Enter&) = delete;
        Enter& operator=(const Enter&) = delete;

    private:
        IoDriver* previous_;
    };

    /// A new Socket owning @p socket (a net::TcpStream or net::TcpListener).
    template <class S>
    Socket* adopt(S socket) {
        auto* made = new Socket(*this, std::move(socket));
        made->next = sockets_;
        if (sockets_ != nullptr) sockets_->prev = made;
        sockets_ = made;
        ++socket_count_;
        return made;
    }
    /// Its owner is gone: ends the wait of a task still parked on it
    /// (Errc::io_closed), cancels what is in flight, frees it when idle.
    void abandon(Socket& socket) noexcept;

    /// Submits @p socket's operation @p op (recv into inbox, send of
    /// outbox, or accept), to be made by the next turn's io_uring_enter.
    io::Result<void> submit(Socket& socket, Operation& op);

    /// One io_uring_enter: submits everything queued and, when @p wait,
    /// waits for a completion or for @p timeout (nullopt: no deadline);
    /// then wakes the task of every completed operation.
    io::Result<void> turn(bool wait, std::optional<std::chrono::nanoseconds> timeout);

    /// How many operations of Sockets are in flight.
    [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_; }
    /// How many Sockets exist (in use, or abandoned and waiting for the kernel).
    [[nodiscard]] std::size_t sockets() const noexcept { return socket_count_; }

private:
    void complete(uring::Completion completion) noexcept;
    void release(Socket& socket) noexcept;

    uring::Driver driver_;
    Executor& executor_;
    Socket* sockets_ = nullptr;  // every Socket made here, in a list
    std::size_t socket_count_ = 0;
    std::size_t in_flight_ = 0;
    // A timeout operation that ends the wait at the next deadline; one is
    // armed at a time (a later deadline reuses it).
    std::optional<TimePoint> armed_until_;
    static constinit thread_local IoDriver* current_;
};
// [io-driver]

}  // namespace metalio::rt::ring
