/// @file
/// Budget: how many operations a task may finish before it must yield.
#pragma once

#include <cstdint>
#include <limits>

namespace metalio::rt {

// [budget]
/// Cooperative scheduling, tokio's `task::coop`: each time the executor
/// runs a task it gives it kPerTurn operations. An I/O operation that
/// could finish at once spends one; with none left it yields instead (the
/// task goes to the back of the run queue, and the reactor and the timers
/// get their turn before it runs again). Without this, a task whose socket
/// is always ready would never suspend, and nothing else would ever run.
///
/// Per thread, since the executor and the task run on one. Outside a
/// runtime there is no limit. Introduced in chapter 09 (runtime).
class Budget {
public:
    /// tokio's default budget per task run.
    static constexpr std::uint32_t kPerTurn = 128;

    /// Spends one unit: false (and nothing spent) when none is left.
    [[nodiscard]] static bool spend() noexcept {
        if (remaining_ == 0) return false;
        --remaining_;
        return true;
    }
    /// True once the running task has used its budget.
    [[nodiscard]] static bool spent() noexcept { return remaining_ == 0; }
    /// A full budget, for the next task the executor runs.
    static void refill() noexcept { remaining_ = kPerTurn; }
    /// No limit (between task runs, and outside a runtime).
    static void unconstrain() noexcept { remaining_ = kUnlimited; }

private:
    static constexpr std::uint32_t kUnlimited = std::numeric_limits<std::uint32_t>::max();
    static constinit thread_local std::uint32_t remaining_;
};
// [budget]

}  // namespace metalio::rt
