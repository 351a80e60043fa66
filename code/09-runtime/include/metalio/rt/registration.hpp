/// @file
/// Registration: one source registered with the running runtime's reactor,
/// and the retry loop every awaitable I/O operation shares.
#pragma once

#include <type_traits>
#include <utility>

#include "metalio/rt/context.hpp"
#include "metalio/rt/error.hpp"
#include "metalio/rt/io_operation.hpp"
#include "metalio/rt/reactor.hpp"
#include "metalio/rt/scheduled_io.hpp"

namespace metalio::rt {

// [registration]
/// A source's place in the reactor: tokio's `runtime::io::Registration`.
/// Made once per socket by the I/O types and kept beside the socket; the
/// I/O type's destructor calls deregister() while the socket is still
/// open (tokio does it in `PollEvented`'s drop), so that no registration
/// outlives the object, even when a dup of the descriptor keeps the open
/// file alive. Move-only: a move tells the record where it lives now.
/// Introduced in chapter 09 (runtime).
class Registration {
public:
    /// Registers @p source with the reactor of the runtime running on this
    /// thread. Errc::no_runtime outside Runtime::block_on.
    template <class S>
        requires Source<S>
    static io::Result<Registration> create(const S& source) {
        Context* context = Context::current();
        if (context == nullptr) return std::unexpected(make_error_code(Errc::no_runtime));
        auto io = context->reactor.add(source);
        if (!io) return std::unexpected(io.error());
        return Registration(**io);
    }

    /// Takes over @p other's record.
    Registration(Registration&& other) noexcept : io_(std::exchange(other.io_, nullptr)) {
        if (io_ != nullptr) io_->registration_ = this;
    }
    Registration& operator=(Registration&&) = delete;  // the owner deregisters first, then calls replace()
    Registration(const Registration&) = delete;
    /// Nothing: deregister() is the owner's job (only it has the source).
    ~Registration() = default;

    /// Deregisters @p source (the one create() registered) and gives the
    /// record back; parked operations then end with Errc::io_closed.
    /// No-op after a move, or once the runtime is gone.
    template <class S>
        requires Source<S>
    void deregister(const S& source) noexcept {
        if (ScheduledIo* io = std::exchange(io_, nullptr)) io->reactor().remove(source, *io);
    }
    /// The owner's move assignment: deregisters @p source while it is
    /// still open, moves @p other_source into it, and takes over @p other's
    /// record for @p owner (the object that now holds both).
    template <class S>
        requires Source<S>
    void replace(S& source, S&& other_source, Registration&& other, void* owner) noexcept {
        deregister(source);
        source = std::move(other_source);
        io_ = std::exchange(other.io_, nullptr);
        if (io_ != nullptr) io_->registration_ = this;
        set_owner(owner);
    }

    /// Tells the record where its I/O object lives (see ScheduledIo::owner()).
    void set_owner(void* owner) noexcept {
        if (io_ != nullptr) io_->set_owner(owner);
    }
    /// The readiness record (stable while registered), or nullptr. (Not
    /// named io(): that would hide the io namespace inside this class.)
    [[nodiscard]] ScheduledIo* scheduled_io() const noexcept { return io_; }

    /// Forgets the readiness of @p direction (the next operation parks first).
    void clear(Direction direction) noexcept { io_->clear(direction); }

    // [async-io]
    /// The awaitable of one operation on this source: @p operation (a
    /// callable returning io::Result) is tried while direction @p D is
    /// ready, and on WouldBlock the task parks until the reactor sees an
    /// event in that direction, then tries again (see IoOperation).
    /// Errc::no_runtime instead of parking on a runtime that is not the
    /// one this source is registered with (its events would never come).
    template <Direction D, class Operation>
    IoOperation<D, Operation> async_io(Operation operation) noexcept(
        std::is_nothrow_move_constructible_v<Operation>) {
        return IoOperation<D, Operation>(*io_, std::move(operation));
    }
    // [async-io]

private:
    /// @cond
    friend class Reactor;  // forgets io_ when it is destroyed first
    /// @endcond
    explicit Registration(ScheduledIo& io) noexcept : io_(&io) { io.registration_ = this; }
    ScheduledIo* io_;
};
// [registration]

}  // namespace metalio::rt
