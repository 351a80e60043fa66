#include "metalio/rt/ring/runtime.hpp"

#include "metalio/rt/context.hpp"
#include "metalio/rt/error.hpp"
#include "metalio/rt/executor.hpp"
#include "metalio/rt/frame_pool.hpp"
#include "metalio/rt/reactor.hpp"
#include "metalio/rt/ring/io_driver.hpp"
#include "metalio/rt/timers.hpp"

namespace metalio::rt::ring {

// [core]
// Stage 09's parts, in the order they must die in, with the IoDriver in
// the Reactor's place: the executor first (its parked frames abandon their
// Sockets, which queues cancels on the ring), then the IoDriver, whose
// uring::Driver waits for the kernel to let go of every buffer.
struct Runtime::Core {
    Core(Poll poll, uring::Driver driver) : reactor(std::move(poll)), io(std::move(driver), executor) {}

    FramePool frames;
    // Stage 09's Context names a Reactor; it stays idle here (no source is
    // registered with it: this runtime's sockets are the ring's).
    Reactor reactor;
    Timers timers;
    IoDriver io;
    Executor executor;
    Context context{executor, reactor, timers, frames};
};
// [core]

io::Result<Runtime> Runtime::create(unsigned entries) {
    auto driver = uring::Driver::create(entries);  // the reason, where io_uring is refused
    if (!driver) return std::unexpected(driver.error());
    auto poll = Poll::create();
    if (!poll) return std::unexpected(poll.error());
    return Runtime(std::make_unique<Core>(std::move(*poll), std::move(*driver)));
}

Runtime::Runtime(std::unique_ptr<Core> core) noexcept : core_(std::move(core)) {}
Runtime::Runtime(Runtime&& other) noexcept = default;
Runtime& Runtime::operator=(Runtime&& other) noexcept = default;
Runtime::~Runtime() = default;

void Runtime::spawn(Task<void> task) {
    if (core_) core_->executor.spawn(std::move(task));
}

std::size_t Runtime::sockets() const noexcept { return core_ ? core_->io.sockets() : 0; }

// [block-on]
io::Result<void> Runtime::run_until(PromiseBase& root, std::coroutine_handle<> frame) {
    if (!core_) return std::unexpected(make_error_code(Errc::no_runtime));
    if (Context::current() != nullptr) return std::unexpected(make_error_code(Errc::nested_block_on));
    const Context::Enter enter(core_->context);
    const IoDriver::Enter enter_io(core_->io);
    Executor& executor = core_->executor;
    Timers& timers = core_->timers;
    root.start.handle = frame;
    executor.schedule(root.start);
    while (!frame.done()) {
        executor.run_once();
        if (frame.done()) break;
        // The same rule as stage 09's loop: wait only when nothing is
        // runnable, and never past a deadline.
        const bool wait = !executor.has_ready();
        std::optional<std::chrono::nanoseconds> timeout;
        if (wait && timers.size() != 0) timeout = timers.next_timeout(Clock::now());
        if (auto turned = core_->io.turn(wait, timeout); !turned) return std::unexpected(turned.error());
        if (timers.size() != 0) timers.fire(Clock::now(), executor);
    }
    return {};
}
// [block-on]

}  // namespace metalio::rt::ring
