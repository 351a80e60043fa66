/// @file
/// IoSource: an owned fd that is a Source, for metalio's own I/O types.
#pragma once

#if defined(_WIN32)
// Windows has no fds and no SourceFd: its IoSource owns a SOCKET and keeps
// the selector's per-socket state (mio's IoSourceState).
#include "metalio/sys/windows/io_source.hpp"
#else

#include <cstddef>
#include <mutex>
#include <optional>
#include <type_traits>

#include "metalio/selector_id.hpp"
#include "metalio/sys/atomic_mutex.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/posix/source_fd.hpp"

namespace metalio {

// [io-source]
/// Owns a file descriptor and registers it: what TcpListener, TcpStream and
/// the other I/O types are built from (mio's `IoSource<T>`).
///
/// It adds two things to posix::SourceFd:
/// - the SelectorId association check on register / reregister / deregister;
/// - do_io(): every I/O operation runs through it (reads through do_read()).
///   With epoll and kqueue it only calls the operation. With the poll(2)
///   selector, which emulates edge triggering by disarming an fd after an
///   event, an operation that returns WouldBlock (or a short read) re-arms
///   the fd, and destruction deregisters it (poll(2) would otherwise keep
///   polling a closed fd number).
///
/// Introduced in chapter 03 (source).
class IoSource {
public:
    /// Takes ownership of @p fd (not yet registered).
    explicit IoSource(sys::OwnedFd fd) noexcept : fd_(std::move(fd)) {}
    /// Moves the fd and its registration.
    IoSource(IoSource&& other) noexcept;
    /// Drops the current fd (deregistering it in a poll(2) build), takes @p other's.
    IoSource& operator=(IoSource&& other) noexcept;
    /// Closes the fd (deregistering it first in a poll(2) build).
    ~IoSource();

    /// The fd, still owned by this object.
    [[nodiscard]] int as_raw_fd() const noexcept { return fd_.get(); }
    /// Gives the fd up (deregistering first, in a poll(2) build).
    [[nodiscard]] sys::OwnedFd into_fd() && noexcept;

    // [do-io]
    /// Runs @p operation(fd) and returns its result. With an edge-emulating
    /// selector, a WouldBlock result re-arms the registration first.
    /// (Always inlined, with the re-arm out of line: a read or write then
    /// compiles to the system call and its tests, on every selector.)
    template <class Operation>
    [[gnu::always_inline]]
    auto do_io(Operation&& operation) const -> std::invoke_result_t<Operation, int> {
        auto result = std::forward<Operation>(operation)(fd_.get());
#if METALIO_SELECTOR_POLL
        if (!result && io::is_would_block(result.error())) rearm();
#endif
        return result;
    }
    // [do-io]

    // [do-read]
    /// do_io() for a read into buffers of @p asked bytes in all, with the
    /// short-read rule: a read that returns fewer bytes than asked (and not
    /// end-of-file) has emptied the fd for now, so the caller may stop
    /// there instead of reading once more to see WouldBlock. An
    /// edge-emulating selector must then re-arm, as that WouldBlock would
    /// have done; epoll needs nothing (chapter 06).
    template <class Operation>
    [[gnu::always_inline]]
    auto do_read(std::size_t asked, Operation&& operation) const -> std::invoke_result_t<Operation, int> {
        auto result = std::forward<Operation>(operation)(fd_.get());
#if METALIO_SELECTOR_POLL
        const bool drained = result ? *result > 0 && static_cast<std::size_t>(*result) < asked
                                    : io::is_would_block(result.error());
        if (drained) rearm();
#else
        (void)asked;
#endif
        return result;
    }
    // [do-read]

    /// Checks the association (SelectorId), then registers the fd.
    io::Result<void> register_(const Registry& registry, Token token, Interest interests) const noexcept;
    /// Checks the association, then reregisters the fd.
    io::Result<void> reregister(const Registry& registry, Token token, Interest interests) const noexcept;
    /// Checks the association, deregisters the fd and forgets the association.
    io::Result<void> deregister(const Registry& registry) const noexcept;

private:
#if METALIO_SELECTOR_POLL
    void rearm() const noexcept;
    void forget_registration() noexcept;

    // The selector this fd is registered with (a cheap shared handle), so
    // do_io can re-arm and the destructor can deregister. The mutex guards
    // it against a deregister or move on another thread; it is an
    // AtomicMutex because every short read takes it.
    struct Rearm {
        sys::AtomicMutex mutex;
        std::optional<sys::Selector> selector;
    };
    mutable Rearm rearm_;
#endif

    sys::OwnedFd fd_;
    mutable SelectorId selector_id_;
};
// [io-source]

static_assert(Source<IoSource>);

}  // namespace metalio
#endif  // !_WIN32
