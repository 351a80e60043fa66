/// @file
/// The Windows selector: a completion port, with socket readiness from AFD
/// poll requests and edge triggering emulated (Windows only; mio's
/// `sys/windows/selector.rs`).
#pragma once

#include <winsock2.h>
#include <windows.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "metalio/interest.hpp"
#include "metalio/io.hpp"
#include "metalio/sys/windows/afd.hpp"
#include "metalio/token.hpp"

namespace metalio {
class Events;
}

namespace metalio::sys::iocp {

namespace afd = windows::afd;

/// One event: the token and the AFD poll flags that fired (mio's
/// `sys::windows::Event`). A Waker's event carries afd::kReceive.
struct Event {
    std::uint32_t flags;  ///< afd::kReceive, afd::kSend, ...
    std::uint64_t data;   ///< The token.
};

/// Not an AFD flag but the selector's own (AFD uses the low bits): the
/// socket's poll could not be started again in select(), and its owner's
/// next operation that would block reports why (Selector::reregister).
/// Readable, writable and an error, so that the owner tries an operation.
inline constexpr std::uint32_t kRearmFailed = 0x80000000u;

// [event-mapping]
/// The AFD flags that make an event readable: data, a connection, the
/// peer's FIN, or a failure (which a read will report).
inline constexpr std::uint32_t kReadableFlags =
    afd::kReceive | afd::kDisconnect | afd::kAccept | afd::kAbort | afd::kConnectFail | kRearmFailed;
/// The AFD flags that make an event writable (a failure included: the write reports it).
inline constexpr std::uint32_t kWritableFlags = afd::kSend | afd::kAbort | afd::kConnectFail | kRearmFailed;
/// The AFD flags that mean the read half is closed.
inline constexpr std::uint32_t kReadClosedFlags = afd::kDisconnect | afd::kAbort | afd::kConnectFail;
/// The AFD flags that mean the write half is closed.
inline constexpr std::uint32_t kWriteClosedFlags = afd::kAbort | afd::kConnectFail;

/// The token.
inline Token token(const Event& event) noexcept { return Token{static_cast<std::size_t>(event.data)}; }
/// Receive, accept, FIN, abort or a failed connect.
inline bool is_readable(const Event& event) noexcept { return (event.flags & kReadableFlags) != 0; }
/// Send, abort or a failed connect.
inline bool is_writable(const Event& event) noexcept { return (event.flags & kWritableFlags) != 0; }
/// A failed connect (take_error() says why), or a failed re-arm (the next
/// reregister() says why).
inline bool is_error(const Event& event) noexcept { return (event.flags & (afd::kConnectFail | kRearmFailed)) != 0; }
/// FIN, abort or a failed connect.
inline bool is_read_closed(const Event& event) noexcept { return (event.flags & kReadClosedFlags) != 0; }
/// Abort or a failed connect.
inline bool is_write_closed(const Event& event) noexcept { return (event.flags & kWriteClosedFlags) != 0; }
/// Out-of-band data.
inline bool is_priority(const Event& event) noexcept { return (event.flags & afd::kReceiveExpedited) != 0; }
// [event-mapping]

/// Translates an Interest into the AFD events to poll for.
std::uint32_t interests_to_afd(Interest interests) noexcept;

/// The selector's record of one registered socket (mio's `SockState`):
/// the poll request in flight, the events asked for, the token. The
/// selector and the socket's owner (IoSource) share it; it lives until the
/// last poll request on it has completed. Defined in selector.cpp.
struct SockState;

// [selector-api]
/// A selector on an I/O completion port; mio's `sys::windows::Selector`.
///
/// A completion port reports finished operations, not readiness. For every
/// registered socket the selector keeps one `IOCTL_AFD_POLL` request in
/// flight on an `\Device\Afd` handle; its completion is the readiness.
/// Edge triggering is emulated: an event disarms the readiness it reported
/// until reregister() (metalio's I/O types do it when an operation returns
/// WouldBlock, through IoSource). All methods are thread-safe; one thread
/// calls select() at a time (a second one is refused). Introduced in
/// chapter 02 (selector).
class Selector {
public:
    /// Reported readiness is disarmed until reregister(): see the class text.
    static constexpr bool emulates_edges = true;

    /// CreateIoCompletionPort. (mio: `Selector::new`.)
    static io::Result<Selector> create() noexcept;

    // Move-only like the epoll selector; try_clone() shares on purpose.
    /// Moves the handle.
    Selector(Selector&&) noexcept = default;
    /// Moves the handle.
    Selector& operator=(Selector&&) noexcept = default;
    Selector(const Selector&) = delete;
    Selector& operator=(const Selector&) = delete;
    ~Selector() = default;

    /// Another handle on the same port and registrations (same id()).
    io::Result<Selector> try_clone() const noexcept;

    /// Waits (GetQueuedCompletionStatusEx, up to events.capacity()
    /// completions in one call) and fills @p events; see timeout_to_millis().
    /// First starts the poll requests that earlier completions left to
    /// start (the re-arm). A socket whose re-arm fails gets a kRearmFailed
    /// event (%is_error()) and keeps the error for its next reregister();
    /// the other sockets are not held up. `std::errc::device_or_resource_busy`
    /// if another thread is in select() on this selector (or a clone).
    io::Result<void> select(Events& events, std::optional<std::chrono::nanoseconds> timeout) const noexcept;

    /// Starts polling @p socket for @p interests; the returned state is the
    /// registration, which the caller keeps and passes to reregister() and
    /// deregister().
    io::Result<std::shared_ptr<SockState>> register_(SOCKET socket, Token token, Interest interests) const noexcept;
    /// Replaces token and interests and re-arms what earlier events disarmed.
    /// With no request in flight and no thread in select(), the new request
    /// is started by the next select(). Errc::not_registered after
    /// deregister(). If the request in flight
    /// must be cancelled and the cancel fails, that is the error (the next
    /// select() tries again). A re-arm that failed in select() is returned
    /// here, once, after this call has re-armed the socket all the same.
    io::Result<void> reregister(SockState& state, Token token, Interest interests) const noexcept;
    /// Stops polling: cancels the request in flight (a failed cancel is
    /// ignored, as in mio: its completion is dropped when it comes).
    /// Errc::not_registered if done already.
    io::Result<void> deregister(SockState& state) const noexcept;
    // [selector-api]

    /// Posts a completion with @p token and no OVERLAPPED: select() reports it
    /// as a readable event. The Waker of chapter 07 is this one call.
    io::Result<void> wake(Token token) const noexcept;

    /// A number unique to this selector (shared by its clones); see chapter 03.
    std::size_t id() const noexcept;
    /// The completion port.
    HANDLE port() const noexcept;
    /// How many `\Device\Afd` handles the selector has open (for tests: a
    /// handle serves up to 32 sockets).
    std::size_t afd_handle_count() const noexcept;
    /// How many registrations still wait for a completion (for tests).
    std::size_t polls_in_flight() const noexcept;

    /// The shared state (defined in selector.cpp).
    struct Inner;

private:
    explicit Selector(std::shared_ptr<Inner> inner) noexcept : inner_(static_cast<std::shared_ptr<Inner>&&>(inner)) {}

    std::shared_ptr<Inner> inner_;
};

}  // namespace metalio::sys::iocp
