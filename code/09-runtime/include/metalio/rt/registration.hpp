/// @file
/// Registration: one source registered with the running runtime's reactor,
/// and the retry loop every awaitable I/O operation shares.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include "metalio/rt/context.hpp"
#include "metalio/rt/error.hpp"
#include "metalio/rt/reactor.hpp"
#include "metalio/rt/scheduled_io.hpp"
#include "metalio/rt/task.hpp"

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
    /// Runs @p operation (a callable returning io::Result) until it does
    /// not return WouldBlock: try it while @p direction is ready; on
    /// WouldBlock clear the readiness and park until the reactor sees an
    /// event in that direction; on EINTR try again. Any other result is
    /// the task's value. Errc::no_runtime if the current runtime is not
    /// the one this source is registered with (its events would never come).
    template <class Operation>
    Task<std::invoke_result_t<Operation&>> async_io(Direction direction, Operation operation) {
        const Context* context = Context::current();
        if (context == nullptr || &context->reactor != &io_->reactor()) {
            co_return std::unexpected(make_error_code(Errc::no_runtime));
        }
        for (;;) {
            co_await io_->ready(direction);
            auto result = operation();
            if (result || !(io::is_would_block(result.error()) || io::is_interrupted(result.error()))) {
                co_return result;
            }
            if (io::is_would_block(result.error())) io_->clear(direction);
        }
    }
    // [async-io]

private:
    explicit Registration(std::unique_ptr<ScheduledIo> io) noexcept : io_(std::move(io)) {}
    std::unique_ptr<ScheduledIo> io_;
};
// [registration]

}  // namespace metalio::rt
