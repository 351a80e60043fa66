/// @file
/// Waker: lets another thread end a blocking Poll::poll.
#pragma once

#include <optional>

#include "metalio/io.hpp"
#include "metalio/registry.hpp"
#include "metalio/token.hpp"
#if !defined(_WIN32)
#include "metalio/sys/owned_fd.hpp"
#endif

namespace metalio {

// [waker]
/// Wakes a Poll from another thread: mio's `Waker`.
///
/// A Waker owns an eventfd registered READABLE with the Poll's selector under
/// the token given to create(). wake() adds one to the eventfd's counter; the
/// poll then returns an event with that token. Where the system has no
/// eventfd (macOS, the BSDs with poll(2)) it owns a pipe instead, registers
/// the read end and writes to the other (sys/unix/portable/wake_fd.hpp). Wakes that happen before the
/// poll looks coalesce into one event, so a wake-up means "check your queue",
/// not "one message arrived".
///
/// On kqueue there is no eventfd: the Waker is a user event of the kqueue
/// itself (EVFILT_USER, triggered with NOTE_TRIGGER) where the system has
/// one, and a pipe whose read end is registered where it does not
/// (sys::kqueue, METALIO_KQUEUE_USER_WAKER). The event looks the same:
/// readable, with the Waker's token.
///
/// On Windows there is no eventfd either: wake() posts a completion packet
/// with the token straight to the Poll's completion port
/// (PostQueuedCompletionStatus), and every wake is one event.
///
/// One Waker per Poll (per selector, counting Registry clones): a second
/// create() fails with Errc::waker_exists until the first is destroyed.
/// Share the one Waker between threads instead (e.g. through a
/// `std::shared_ptr<Waker>`): wake() is const and thread-safe.
///
/// Move-only. A moved-from Waker owns nothing and may only be destroyed or
/// assigned to. Introduced in chapter 07 (waker).
class Waker {
public:
    /// Creates the eventfd (EFD_CLOEXEC | EFD_NONBLOCK), or the pipe, and registers it with
    /// @p registry's selector for READABLE under @p token.
    /// Errc::waker_exists if this Poll already has a Waker; any failure
    /// leaves no fd open and the Poll without a Waker.
    /// (mio: `Waker::new`; `new` is a C++ keyword.)
    static io::Result<Waker> create(const Registry& registry, Token token) noexcept;

    /// Makes the Poll return an event with the Waker's token: from any
    /// thread, also while another thread is blocked in Poll::poll.
    io::Result<void> wake() const noexcept;

#if !defined(_WIN32)
    /// The eventfd (or a pipe's read end; kqueue: the pipe's read end, or -1 for a user event,
    /// which has no fd), still owned by the Waker. For tests and diagnostics
    /// (e.g. to push its counter to the edge); reading or writing it
    /// yourself changes what the Poll sees.
    [[nodiscard]] int as_raw_fd() const noexcept { return fd_.get(); }
#endif

    /// Takes over @p other's eventfd and its claim on the Poll's Waker slot.
    Waker(Waker&& other) noexcept;
    /// Destroys this Waker (freeing its slot), then takes over @p other's.
    Waker& operator=(Waker&& other) noexcept;
    Waker(const Waker&) = delete;
    Waker& operator=(const Waker&) = delete;
    /// Frees the Poll's Waker slot (and, with poll(2), deregisters the fd;
    /// with kqueue, deletes the user event).
    ~Waker();

private:
    void close() noexcept;
#if defined(_WIN32)
    Waker(Registry registry, Token token) noexcept : registry_(std::move(registry)), token_(token) {}

    std::optional<Registry> registry_;  // as below: shares the flag, reaches the port
    Token token_;                       // the completion key of every posted packet
#else
    Waker(Registry registry, sys::OwnedFd fd) noexcept : registry_(std::move(registry)), fd_(std::move(fd)) {}
    // The start of every create(): claims the Poll's Waker slot and clones
    // the Registry the Waker keeps (giving the slot back if that fails).
    static io::Result<Registry> claim(const Registry& registry) noexcept;

    // A clone of the caller's Registry: it shares the "has a Waker" flag, so
    // the destructor can release it however the Poll was moved meanwhile,
    // and (poll(2) build) it reaches the selector to deregister the eventfd.
    // Empty in a moved-from Waker.
    std::optional<Registry> registry_;
    sys::OwnedFd fd_;  // the eventfd or a pipe's read end; kqueue: the pipe's read end, or none
#if METALIO_SELECTOR_KQUEUE && METALIO_KQUEUE_USER_WAKER
    Token token_{0};  // the user event is triggered with the token it carries
#else
    sys::OwnedFd sender_{-1};  // the pipe's write end (-1 for an eventfd: wake writes to fd_)
#endif
#endif  // !_WIN32
};
// [waker]

}  // namespace metalio
