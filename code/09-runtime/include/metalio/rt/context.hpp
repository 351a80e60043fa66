/// @file
/// Context: the runtime a coroutine runs on, found through its thread.
#pragma once

namespace metalio::rt {

class Executor;
class FramePool;
class Reactor;
class Timers;

// [context]
/// The parts of the runtime that is running on this thread, for awaitables
/// that need one (a sleep needs the timers, a new socket the reactor):
/// tokio's thread-local runtime `CONTEXT`. Runtime::block_on sets it for
/// the time it runs; outside, current() is nullptr.
/// Introduced in chapter 09 (runtime).
struct Context {
    Executor& executor;  ///< Runs the tasks.
    Reactor& reactor;    ///< Turns Poll events into woken tasks.
    Timers& timers;      ///< Turns deadlines into woken tasks.
    FramePool& frames;   ///< Recycles the coroutine frames of its tasks.

    /// This thread's running runtime, or nullptr. Inline: every I/O
    /// operation that parks asks.
    static Context* current() noexcept { return current_; }

    /// Makes a Context current for a scope (nesting restores the outer one).
    class Enter {
    public:
        /// Makes @p context current.
        explicit Enter(Context& context) noexcept;
        /// Restores the previous current().
        ~Enter();
        Enter(const Enter&) = delete;
        Enter& operator=(const Enter&) = delete;

    private:
        Context* previous_;
    };

private:
    static constinit thread_local Context* current_;
};
// [context]

}  // namespace metalio::rt
