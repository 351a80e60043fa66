/// @file
/// Registration: one source registered with the running runtime's reactor,
/// and the retry loop every awaitable I/O operation shares.
#pragma once

#include <memory>
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
/// Made once per socket by the I/O types, kept beside the socket, and
/// declared after it, so it is destroyed first (see Reactor::add).
/// Move-only. Introduced in chapter 09 (runtime).
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
        return Registration(std::move(*io));
    }

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
    explicit Registration(std::unique_ptr<ScheduledIo> io) noexcept : io_(std::move(io)) {}
    std::unique_ptr<ScheduledIo> io_;
};
// [registration]

}  // namespace metalio::rt
