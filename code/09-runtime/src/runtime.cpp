#include "metalio/rt/runtime.hpp"

#include "metalio/rt/context.hpp"
#include "metalio/rt/error.hpp"
#include "metalio/rt/frame_pool.hpp"
#include "metalio/rt/reactor.hpp"
#include "metalio/rt/timers.hpp"

namespace metalio::rt {

namespace {

class RuntimeCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "metalio.rt"; }
    std::string message(int value) const override {
        switch (static_cast<Errc>(value)) {
            case Errc::no_runtime:
                return "no metalio runtime here (outside block_on, or an I/O object of another runtime)";
            case Errc::runtime_closed:
                return "the runtime was destroyed";
            case Errc::nested_block_on:
                return "block_on called from inside a task";
            case Errc::io_closed:
                return "the I/O object was destroyed while an operation waited on it";
            case Errc::aborted:
                return "the task was aborted before it finished";
        }
        return "unknown metalio.rt error";
    }
};

}  // namespace

const std::error_category& runtime_category() noexcept {
    static const RuntimeCategory category;
    return category;
}

constinit thread_local Context* Context::current_ = nullptr;
Context::Enter::Enter(Context& context) noexcept : previous_(current_) { current_ = &context; }
Context::Enter::~Enter() { current_ = previous_; }

// [core]
// The parts, in the order they must die in: the executor first (destroying
// parked frames, whose awaiters leave the timers), then the timers, then the
// reactor with its Poll.
struct Runtime::Core {
    Core(Poll poll, Waker waker) : reactor(std::move(poll)), inject(std::make_shared<Inject>(std::move(waker))) {}
    ~Core() { inject->close(); }

    // Declared first, so destroyed last. (The frames the executor destroys
    // when it goes reach the global allocator: no runtime is running then.)
    FramePool frames;
    Reactor reactor;
    Timers timers;
    Executor executor;
    std::shared_ptr<Inject> inject;
    Context context{executor, reactor, timers, frames};
};
// [core]

io::Result<Runtime> Runtime::create() {
    auto poll = Poll::create();
    if (!poll) return std::unexpected(poll.error());
    auto waker = Waker::create(poll->registry(), Reactor::kWakeToken);
    if (!waker) return std::unexpected(waker.error());
    return Runtime(std::make_unique<Core>(std::move(*poll), std::move(*waker)));
}

Runtime::Runtime(std::unique_ptr<Core> core) noexcept : core_(std::move(core)) {}
Runtime::Runtime(Runtime&& other) noexcept = default;
Runtime& Runtime::operator=(Runtime&& other) noexcept = default;
Runtime::~Runtime() = default;

Executor* Runtime::executor() noexcept { return core_ ? &core_->executor : nullptr; }

std::size_t Runtime::unhandled_exceptions() const noexcept {
    return core_ ? core_->executor.unhandled_exceptions() : 0;
}

Handle Runtime::handle() const {
    // A moved-from runtime hands out a Handle that is already closed.
    if (!core_) {
        auto closed = std::make_shared<Inject>(std::nullopt);
        return Handle(std::move(closed));
    }
    return Handle(core_->inject);
}

// [block-on]
io::Result<void> Runtime::run_until(PromiseBase& root, std::coroutine_handle<> frame) {
    if (!core_) return std::unexpected(make_error_code(Errc::no_runtime));  // moved from
    if (Context::current() != nullptr) return std::unexpected(make_error_code(Errc::nested_block_on));
    const Context::Enter enter(core_->context);
    Executor& executor = core_->executor;
    Inject& inject = *core_->inject;
    root.start.handle = frame;
    executor.schedule(root.start);
    while (!frame.done()) {
        executor.run_once();
        if (frame.done()) break;
        // Block only when nothing is runnable, and never past a deadline.
        // (The clock is read only when there are timers: a server without
        // them pays nothing for the time driver.)
        Timers& timers = core_->timers;
        std::optional<std::chrono::nanoseconds> timeout;
        if (executor.has_ready()) {
            timeout = std::chrono::nanoseconds{0};
        } else if (timers.size() != 0) {
            timeout = timers.next_timeout(Clock::now());
        }
        // Only a poll that may block is a park: then, and only then, a
        // push from another thread writes the Waker.
        const bool parked = timeout != std::chrono::nanoseconds{0} && inject.park();
        if (!parked && inject.pending()) timeout = std::chrono::nanoseconds{0};
        const auto woken = core_->reactor.turn(timeout, executor);
        if (parked) inject.unpark();
        if (!woken) return std::unexpected(woken.error());
        if (inject.pending()) {
            for (auto& task : inject.take()) executor.spawn(std::move(task));
        }
        if (timers.size() != 0) timers.fire(Clock::now(), executor);
    }
    return {};
}
// [block-on]

}  // namespace metalio::rt
