// The fault sweep: run an operation once to count the system calls it makes
// through METALIO_SYSCALL (METALIO_WINCALL on Windows), then once per call
// with exactly that call failing, and check that every failure is reported,
// leaks nothing (no fd; on Windows no handle or socket) and leaves the
// objects involved usable. The same sweep runs on every platform: only the
// error numbers and the fixtures' raw calls differ.
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "metalio/sys/fault.hpp"
#include "metalio_test.hpp"
#if defined(_WIN32)
#include "metalio/sys/windows/error.hpp"
#endif

namespace faults {

/// One row of the summary main.cpp prints: an operation and its fault points.
struct Row {
    std::string what;
    std::size_t points;
};

/// Everything the sweeps tried, for the summary at the end of the run.
struct Tally {
    std::vector<Row> rows;
    std::size_t total = 0;
    std::map<std::string, std::size_t, std::less<>> failed_calls;  ///< how often each system call was failed
    std::map<std::string, std::string, std::less<>> absorbed;      ///< "operation: call" -> why it still succeeds
    std::string last_failed;  ///< the call failed by the point being checked now (for still_usable)
};

inline Tally& tally() {
    static Tally instance;
    return instance;
}

/// The error an injected number must come back as: an errno on Unix, a
/// Win32 or winsock error number on Windows (what the wrappers make of it).
inline std::error_code injected(int error) {
#if defined(_WIN32)
    return metalio::sys::windows::error_code(static_cast<unsigned long>(error));
#else
    return {error, std::system_category()};
#endif
}

/// A system call whose failure an operation absorbs on purpose, and why: the
/// operation succeeds anyway, so at that point the sweep checks only that
/// nothing leaks (and, as everywhere, that nothing crashes or hangs).
struct Absorbed {
    std::string_view call;  ///< the wrapped call's name, as fault::fired() gives it
    std::string_view why;   ///< printed in the summary
};

/// Counts the wrapped system calls @p operation makes on a fresh fixture
/// (must succeed: the sweep needs a working baseline).
template <class Make, class Operation>
std::size_t count_calls(const std::string& what, Make& make, Operation& operation) {
    namespace fault = metalio::sys::fault;
    auto fixture = make();
    fault::reset();
    const auto result = operation(fixture);
    const std::size_t calls = fault::calls();
    fault::reset();
    REQUIRE_MESSAGE(result.has_value(), what, " fails even without an injected fault: ", metalio::test::why(result));
    return calls;
}

/// The sweep. @p make builds the objects the operation needs (no fault is
/// armed while it runs), @p operation runs the operation on them and returns
/// its io::Result, @p still_usable checks afterwards that the objects work
/// (or at least that their state is sane). For each fault point i:
///  - call i fails with @p error, all other calls are real;
///  - the operation must report exactly that error (not success, not another);
///  - no fd may be left open by the failed operation;
///  - the objects must pass @p still_usable, and destroying them must close
///    every fd they held.
/// @p absorbed lists the calls whose failure this operation absorbs on
/// purpose (see Absorbed); every other failure must be reported.
template <class Make, class Operation, class StillUsable>
void sweep(const std::string& what, int error, Make make, Operation operation, StillUsable still_usable,
           const std::vector<Absorbed>& absorbed = {}) {
    namespace fault = metalio::sys::fault;
    using metalio::test::open_fd_count;
    const std::size_t points = count_calls(what, make, operation);
    const std::string error_text = injected(error).message();
    for (std::size_t i = 0; i < points; ++i) {
        INFO(what, ": system call #", i, " of ", points, " fails with ", error_text);
        const std::size_t fds_at_start = open_fd_count();
        {
            auto fixture = make();
            const std::size_t fds_before = open_fd_count();
            bool absorbed_here = false;
            {
                fault::reset();
                fault::fail_nth(i, error);
                const auto result = operation(fixture);
                // fail_nth(i) fires on the (i+1)th call: it fired iff more than i calls were made.
                const bool fired = fault::calls() > i;
                const std::string call(fault::fired());
                fault::reset();
                REQUIRE_MESSAGE(fired, "the operation made fewer system calls than in its first run, so the "
                                       "injected fault never fired: the sweep cannot test this point");
                ++tally().failed_calls[call];
                tally().last_failed = call;
                const auto found = std::ranges::find(absorbed, std::string_view(call), &Absorbed::call);
                absorbed_here = found != absorbed.end();
                if (absorbed_here) {
                    CHECK_MESSAGE(result.has_value(), what, " should absorb a failing ", call, " (", found->why,
                                  "), but returned: ", metalio::test::why(result));
                    tally().absorbed.emplace(what + ": " + call, std::string(found->why));
                } else {
                    CHECK_MESSAGE(!result.has_value(), "the operation reported success although its system "
                                                       "call ", call, " failed");
                }
                if (!absorbed_here && !result.has_value()) {
                    CHECK_MESSAGE(result.error() == injected(error), "the caller should see the error of the "
                                  "failed system call ", call, " (", error_text, "), not: ",
                                  result.error().message());
                }
            }
            const std::size_t fds_after = open_fd_count();
            CHECK_MESSAGE(fds_after == fds_before, "the failed operation changed the number of open file "
                          "descriptors from ", fds_before, " to ", fds_after, " (a leak, or a double close)");
            // After an absorbed failure the operation did its job: the
            // usability check, written for a failed operation, does not apply.
            if (!absorbed_here) still_usable(fixture);
        }
        const std::size_t fds_at_end = open_fd_count();
        CHECK_MESSAGE(fds_at_end == fds_at_start, "destroying the objects after the failure left ",
                      fds_at_end, " file descriptors open instead of ", fds_at_start);
        ++tally().total;
    }
    tally().rows.push_back(Row{what, points});
}

/// For operations that make no system call at all (pure computations, or a
/// selector that keeps its state in user space): records a row with zero
/// points after checking that the count really is zero.
template <class Make, class Operation>
void no_fault_points(const std::string& what, Make make, Operation operation) {
    const std::size_t points = count_calls(what, make, operation);
    CHECK_MESSAGE(points == 0, what, " was expected to make no system call, but made ", points);
    tally().rows.push_back(Row{what + " (no system call)", points});
}

}  // namespace faults
