// Stage 09: FramePool — a runtime recycles its tasks' frames, and a frame
// may end somewhere other than where it began (another runtime, no runtime).
#include <coroutine>
#include <optional>

#include "runtime_test.hpp"

using metalio::rt::Runtime;
using metalio::rt::Task;

namespace {

#if defined(__SANITIZE_ADDRESS__)
TEST_CASE("a runtime hands a freed frame to the next task of its size") {
    MESSAGE("AddressSanitizer build: the pool passes every frame to the allocator, nothing to check");
}
#else
// The address of the frame that awaits it, without suspending.
struct FrameAddress {
    void* address = nullptr;
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> self) noexcept {
        address = self.address();
        return false;  // carry on at once
    }
    void* await_resume() const noexcept { return address; }
};

Task<void*> frame_address() { co_return co_await FrameAddress{}; }

Task<bool> second_frame_reuses_the_first() {
    void* const first = co_await frame_address();
    void* const second = co_await frame_address();  // the first frame was freed in between
    co_return first == second;
}

TEST_CASE("a runtime hands a freed frame to the next task of its size") {
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, second_frame_reuses_the_first()));
}
#endif

Task<int> forty_two() { co_return 42; }

// Makes a task inside the runtime (its frame from that runtime's pool) and
// hands it out unstarted.
Task<std::optional<Task<int>>> make_inside() { co_return std::optional<Task<int>>(forty_two()); }

TEST_CASE("a frame made in one runtime runs and ends in another, or after its runtime") {
    const metalio::test::FdLeakCheck no_leak;
    std::optional<Task<int>> moved;
    std::optional<Task<int>> dropped;
    {
        Runtime first = rt_test::make_runtime();
        moved = rt_test::run(first, make_inside());
        dropped = rt_test::run(first, make_inside());
    }
    // The first runtime and its pool are gone; these frames still live.
    Runtime second = rt_test::make_runtime();
    REQUIRE(moved.has_value());
    CHECK(rt_test::run(second, std::move(*moved)) == 42);  // freed into the second runtime's pool
    dropped.reset();  // no runtime running: back to the global allocator
}

}  // namespace
