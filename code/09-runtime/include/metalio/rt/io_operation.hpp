/// @file
/// IoOperation: one I/O operation as an awaitable, tried before it parks.
#pragma once

#include <coroutine>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>

#include "metalio/io.hpp"
#include "metalio/rt/context.hpp"
#include "metalio/rt/coop.hpp"
#include "metalio/rt/error.hpp"
#include "metalio/rt/scheduled_io.hpp"
#include "metalio/rt/task.hpp"

namespace metalio::rt {

// [io-operation]
/// `co_await` on one I/O operation of a registered source: tokio's
/// `Registration::async_io` retry loop, as an awaiter that lives in the
/// awaiting coroutine's frame (no frame of its own).
///
/// @p Operation is a callable returning an io::Result. It is tried at
/// once while direction @p D is ready (a template argument, so that each
/// readiness test is one load): if it does not say WouldBlock, the
/// caller goes on without suspending. On WouldBlock the direction's
/// readiness is cleared and the caller parks. When an event wakes it, the
/// Waiter's hook tries the operation again *before* resuming the caller:
/// another WouldBlock (an event that was already used) parks it again, so
/// the caller is resumed only with a result. EINTR is tried again at once.
///
/// Each try that could finish at once spends a unit of the task's Budget;
/// with none left the caller yields (it queues itself behind the other
/// ready tasks) and tries when its turn comes. The operation keeps the
/// generation of the ScheduledIo it started under: if its source is
/// deregistered meanwhile (the stream destroyed), it ends with
/// Errc::io_closed instead of touching the record's next user.
///
/// Cancellation is the frame's: destroying the suspended caller destroys
/// this awaiter, whose Waiter unlinks itself. Movable until it is awaited
/// (so that into_task() can take it along). Introduced in chapter 09.
template <Direction D, class Operation>
class IoOperation {
public:
    /// What `co_await` gives: the operation's io::Result.
    using Output = std::invoke_result_t<Operation&>;

    /// Runs @p operation on @p io's readiness in direction D.
    IoOperation(ScheduledIo& io, Operation operation) noexcept(
        std::is_nothrow_move_constructible_v<Operation>)
        : io_(&io), generation_(io.generation()), operation_(std::move(operation)) {}
    /// Takes over an operation that was not awaited yet.
    IoOperation(IoOperation&& other) noexcept(std::is_nothrow_move_constructible_v<Operation>)
        : io_(other.io_), generation_(other.generation_), operation_(std::move(other.operation_)) {}
    IoOperation& operator=(IoOperation&&) = delete;

    /// Tries the operation now if the direction is ready and the task has
    /// budget left; true when that gave a result (no suspension at all).
    bool await_ready() { return io_->is_ready(D) && Budget::spend() && attempt(); }
    /// Parks the caller until an event in the direction, or, when only the
    /// budget stopped it, queues it behind the other ready tasks. Instead
    /// of parking on a runtime other than the source's own (whose events
    /// would never come), does not suspend and gives Errc::no_runtime; on a
    /// source already deregistered, gives Errc::io_closed.
    bool await_suspend(std::coroutine_handle<> caller) noexcept {
        Context* context = Context::current();
        if (context == nullptr || &context->reactor != &io_->reactor()) {
            result_.emplace(std::unexpected(make_error_code(Errc::no_runtime)));
            return false;
        }
        if (io_->generation() != generation_) {
            result_.emplace(std::unexpected(make_error_code(Errc::io_closed)));
            return false;
        }
        // Made only now: an operation that never parks pays nothing for it.
        Parked& parked = parked_.emplace();
        parked.handle = caller;
        parked.on_turn = &on_turn;
        parked.operation = this;
        if (io_->is_ready(D)) {
            context->executor.schedule(parked);  // ready, but out of budget: yield
        } else {
            io_->park(D, parked);
        }
        return true;
    }
    /// The operation's result.
    Output await_resume() { return std::move(*result_); }

    /// A Task that awaits this operation, for select() and timeout(),
    /// which race Tasks. It costs the frame that awaiting directly avoids.
    Task<Output> into_task() && { return awaiting(std::move(*this)); }

private:
    static Task<Output> awaiting(IoOperation operation) { co_return co_await operation; }

    // The Waiter, and the way back from it to this awaiter.
    struct Parked : Waiter {
        IoOperation* operation = nullptr;
    };

    // One try: true with a result (a value, or an error other than
    // WouldBlock); false after WouldBlock, with the readiness cleared.
    // The result is made in place, not copied on its way out.
    bool attempt() {
        if (result_.emplace(Call{operation_})) return true;
        return after_error();
    }
    // The rarer outcomes, out of line: the common one then needs fewer
    // registers saved, here and in every caller it is inlined into.
    [[gnu::noinline]] bool after_error() {
        while (io::is_interrupted(result_->error())) {
            if (result_.emplace(Call{operation_})) return true;
        }
        if (!io::is_would_block(result_->error())) return true;
        io_->clear(D);
        return false;
    }

    // Converts to the operation's result by calling it, so that emplace()
    // constructs the result right in result_ (no temporary to move).
    struct Call {
        Operation& operation;
        operator Output() { return operation(); }  // NOLINT: implicit on purpose
    };

    // The parked caller's turn (woken by an event, or by a closed half):
    // try again, then resume the caller or park once more.
    static void on_turn(Waiter& waiter) {
        IoOperation& self = *static_cast<Parked&>(waiter).operation;
        if (self.io_->generation() != self.generation_) {
            // The source was deregistered while we waited: the record may
            // already serve another source, so touch nothing but our own.
            self.result_.emplace(std::unexpected(make_error_code(Errc::io_closed)));
            self.parked_->handle.resume();
            return;
        }
        if (self.io_->is_ready(D) && self.attempt()) {
            const std::coroutine_handle<> caller = self.parked_->handle;
            caller.resume();  // last: the caller destroys this awaiter
        } else {
            self.io_->park(D, *self.parked_);
        }
    }

    ScheduledIo* io_;
    std::uint32_t generation_;
    Operation operation_;
    std::optional<Output> result_;
    std::optional<Parked> parked_;
};
// [io-operation]

}  // namespace metalio::rt
