#include "metalio/sys/fault.hpp"

#include <string>

namespace metalio::sys::fault {
namespace {

// One armed fault per thread: tests arm and trigger on the same thread, and a
// thread_local needs no lock, so multi-threaded tests stay race-free.
struct Armed {
    bool active = false;
    std::string name;       // empty: any system call
    std::size_t skip = 0;   // matching calls to let through first
    int error = 0;
};

thread_local Armed armed;
thread_local std::size_t call_count = 0;
// Names come from METALIO_SYSCALL and METALIO_WINCALL, which pass string
// literals: a view stays valid, and check() need not allocate.
thread_local std::string_view fired_on;

}  // namespace

void fail_next(std::string_view name, int error, std::size_t skip) {
    armed = Armed{true, std::string(name), skip, error};
}

void fail_nth(std::size_t n, int error) { armed = Armed{true, {}, n, error}; }

void reset() {
    armed = Armed{};
    call_count = 0;
    fired_on = {};
}

std::size_t calls() { return call_count; }

std::string_view fired() { return fired_on; }

std::optional<int> check(std::string_view name) noexcept {
    ++call_count;
    if (!armed.active || (!armed.name.empty() && armed.name != name)) return std::nullopt;
    if (armed.skip > 0) {
        --armed.skip;
        return std::nullopt;
    }
    armed.active = false;
    fired_on = name;
    return armed.error;
}

}  // namespace metalio::sys::fault
