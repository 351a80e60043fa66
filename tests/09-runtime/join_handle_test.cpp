// Stage 09: JoinHandle — await a spawned task's value or exception, abort
// it where it is parked (socket, sleep, never started), detach it by
// dropping the handle.
#include <stdexcept>
#include <string>
#include <vector>

#include "metalio/rt/error.hpp"
#include "metalio/rt/timers.hpp"
#include "runtime_test.hpp"

using namespace std::chrono_literals;
using metalio::rt::JoinHandle;
using metalio::rt::Runtime;
using metalio::rt::Task;
using metalio::rt::YieldNow;

namespace {

Task<int> answer_after_yields(int yields) {
    for (int i = 0; i < yields; ++i) co_await YieldNow{};
    co_return 42;
}

Task<int> throws_after_a_yield() {
    co_await YieldNow{};
    throw std::runtime_error("from the task");
}

// What awaiting a handle gave, as text: the value, the error, or the
// exception. Awaits the caller's handle in place (it does not move).
template <class T>
Task<std::string> outcome(JoinHandle<T>* handle) {
    try {
        auto result = co_await std::move(*handle);
        if (!result) co_return "error: " + result.error().message();
        if constexpr (std::is_void_v<T>) {
            co_return "done";
        } else {
            co_return std::to_string(*result);
        }
    } catch (const std::runtime_error& error) {
        co_return std::string("exception: ") + error.what();
    }
}

Task<std::vector<std::string>> await_values_and_exceptions() {
    std::vector<std::string> notes;
    auto late = metalio::rt::spawn(answer_after_yields(3));
    REQUIRE(late);
    notes.push_back(co_await outcome(&(*late)));  // parks until the task ends
    auto early = metalio::rt::spawn(answer_after_yields(0));
    REQUIRE(early);
    for (int i = 0; i < 3; ++i) co_await YieldNow{};
    notes.push_back(early->is_finished() ? "finished" : "running");
    notes.push_back(co_await outcome(&(*early)));  // its frame kept the value
    auto thrown = metalio::rt::spawn(throws_after_a_yield());
    REQUIRE(thrown);
    notes.push_back(co_await outcome(&(*thrown)));
    notes.push_back("unhandled " + std::to_string(metalio::rt::Context::current()->executor.unhandled_exceptions()));
    notes.push_back("frames " + std::to_string(metalio::rt::Context::current()->executor.task_count()));
    co_return notes;
}

TEST_CASE("join: awaiting the handle gives the value, or rethrows the task's exception") {
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, await_values_and_exceptions()) ==
          std::vector<std::string>{"42", "finished", "42", "exception: from the task", "unhandled 0", "frames 0"});
}

// Sets *flag when destroyed: shows a frame's locals were destroyed.
struct SetOnDestroy {
    bool* flag;
    ~SetOnDestroy() { *flag = true; }
};

Task<void> read_forever(metalio::rt::TcpStream stream, bool* destroyed, bool* returned) {
    const SetOnDestroy guard{destroyed};
    char buffer[16];
    (void)co_await stream.read(std::as_writable_bytes(std::span(buffer)));
    *returned = true;  // never: the peer never writes
}

Task<void> sleep_long(bool* destroyed, bool* returned) {
    const SetOnDestroy guard{destroyed};
    co_await metalio::rt::sleep_for(1h);
    *returned = true;
}

Task<std::vector<std::string>> abort_parked_tasks() {
    std::vector<std::string> notes;
    auto pair = co_await rt_test::connected_pair();
    bool reader_destroyed = false;
    bool reader_returned = false;
    bool sleeper_destroyed = false;
    bool sleeper_returned = false;
    auto reader = metalio::rt::spawn(read_forever(std::move(pair.server), &reader_destroyed, &reader_returned));
    auto sleeper = metalio::rt::spawn(sleep_long(&sleeper_destroyed, &sleeper_returned));
    REQUIRE(reader);
    REQUIRE(sleeper);
    co_await YieldNow{};  // both park now: on the socket, on the timer
    co_await YieldNow{};
    notes.push_back(reader_destroyed || sleeper_destroyed ? "ended early" : "both parked");
    reader->abort();
    sleeper->abort();
    notes.push_back(co_await outcome(&(*reader)));
    notes.push_back(co_await outcome(&(*sleeper)));
    notes.push_back(reader_destroyed && sleeper_destroyed ? "locals destroyed" : "locals alive");
    notes.push_back(reader_returned || sleeper_returned ? "resumed" : "never resumed");
    // The aborted read's socket is closed: its peer reads end-of-file.
    char buffer[4];
    auto eof = co_await pair.client.read(std::as_writable_bytes(std::span(buffer)));
    notes.push_back(eof && *eof == 0 ? "peer sees the close" : "peer sees no close");
    notes.push_back("timers " + std::to_string(metalio::rt::Context::current()->timers.size()));
    co_return notes;
}

TEST_CASE("join: abort ends a task parked on a read or a sleep, its socket is closed, its frame freed") {
    const metalio::test::FdLeakCheck no_leak;  // and LeakSanitizer in the asan builds
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, abort_parked_tasks()) ==
          std::vector<std::string>{"both parked", "error: the task was aborted before it finished",
                                   "error: the task was aborted before it finished", "locals destroyed",
                                   "never resumed", "peer sees the close", "timers 0"});
}

Task<void> count_runs(int* runs) {
    ++*runs;
    co_return;
}

Task<std::vector<std::string>> abort_before_and_after() {
    std::vector<std::string> notes;
    int runs = 0;
    auto never = metalio::rt::spawn(count_runs(&runs));
    REQUIRE(never);
    never->abort();  // before its first run
    notes.push_back(co_await outcome(&(*never)));
    notes.push_back("runs " + std::to_string(runs));
    auto done = metalio::rt::spawn(answer_after_yields(0));
    REQUIRE(done);
    co_await YieldNow{};
    done->abort();  // after it finished: the value stands
    co_await YieldNow{};
    notes.push_back(co_await outcome(&(*done)));
    JoinHandle<int> empty;
    empty.abort();  // nothing to abort
    notes.push_back(co_await outcome(&empty));
    co_return notes;
}

TEST_CASE("join: a task aborted before it ran never runs, one that finished keeps its value") {
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, abort_before_and_after()) ==
          std::vector<std::string>{"error: the task was aborted before it finished", "runs 0", "42",
                                   "error: Invalid argument"});
}

// Aborts itself through its own handle: it ends at its next suspension
// point, not in the middle of the call.
Task<void> abort_self(JoinHandle<void>* self, std::vector<std::string>* notes) {
    co_await YieldNow{};
    self->abort();
    notes->push_back("still running after abort()");
    co_await YieldNow{};
    notes->push_back("resumed after abort()");
}

Task<std::vector<std::string>> self_abort() {
    std::vector<std::string> notes;
    JoinHandle<void> handle;
    auto spawned = metalio::rt::spawn(abort_self(&handle, &notes));
    REQUIRE(spawned);
    handle = std::move(*spawned);
    notes.push_back(co_await outcome(&handle));
    co_return notes;
}

TEST_CASE("join: a task that aborts itself runs to its next suspension point, no further") {
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, self_abort()) ==
          std::vector<std::string>{"still running after abort()", "error: the task was aborted before it finished"});
}

Task<void> finish_later(int* finished, int yields) {
    for (int i = 0; i < yields; ++i) co_await YieldNow{};
    ++*finished;
}

Task<std::vector<std::string>> dropped_handles() {
    std::vector<std::string> notes;
    int finished = 0;
    { auto dropped = metalio::rt::spawn(finish_later(&finished, 3)); }  // detached at once
    (void)metalio::rt::spawn(finish_later(&finished, 0));
    for (int i = 0; i < 5; ++i) co_await YieldNow{};
    notes.push_back("finished " + std::to_string(finished));
    // A finished task whose handle is dropped unawaited: its exception is
    // reported then, as a detached task's is.
    {
        auto thrown = metalio::rt::spawn(throws_after_a_yield());
        for (int i = 0; i < 3; ++i) co_await YieldNow{};
        notes.push_back(thrown->is_finished() ? "thrown and kept" : "not finished");
    }
    auto& executor = metalio::rt::Context::current()->executor;
    notes.push_back("unhandled " + std::to_string(executor.unhandled_exceptions()));
    notes.push_back("frames " + std::to_string(executor.task_count()));
    co_return notes;
}

TEST_CASE("join: dropping the handle detaches the task, an exception nobody took is reported, not terminate") {
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, dropped_handles()) ==
          std::vector<std::string>{"finished 2", "thrown and kept", "unhandled 1", "frames 0"});
    CHECK(runtime.unhandled_exceptions() == 1);
}

Task<void> await_other(JoinHandle<int>* handle, std::string* seen) { *seen = co_await outcome(handle); }

Task<std::vector<std::string>> abort_while_awaited() {
    auto sleeper = metalio::rt::spawn([]() -> Task<int> {
        co_await metalio::rt::sleep_for(1h);
        co_return 1;
    }());
    REQUIRE(sleeper);
    std::string seen;
    auto waiter = metalio::rt::spawn(await_other(&*sleeper, &seen));
    REQUIRE(waiter);
    co_await YieldNow{};  // the waiter parks on the sleeper's handle
    co_await YieldNow{};
    sleeper->abort();
    std::vector<std::string> notes;
    notes.push_back(co_await outcome(&*waiter));
    notes.push_back(seen);
    co_return notes;
}

TEST_CASE("join: a task awaiting a handle is resumed when that task is aborted") {
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, abort_while_awaited()) ==
          std::vector<std::string>{"done", "error: the task was aborted before it finished"});
}

TEST_CASE("join: a handle that outlives its runtime reports runtime_closed and frees nothing twice") {
    const metalio::test::FdLeakCheck no_leak;
    bool destroyed = false;
    bool returned = false;
    JoinHandle<void> parked;
    JoinHandle<int> finished;
    {
        Runtime runtime = rt_test::make_runtime();
        parked = runtime.spawn(sleep_long(&destroyed, &returned));
        finished = runtime.spawn(answer_after_yields(0));
        rt_test::run(runtime, []() -> Task<void> {
            for (int i = 0; i < 3; ++i) co_await YieldNow{};
        }());
        CHECK(finished.is_finished());
    }
    CHECK(destroyed);
    CHECK_FALSE(returned);
    CHECK_FALSE(finished.is_finished());
    CHECK(static_cast<bool>(parked));  // it still has something to say
    parked.abort();                    // a no-op now
    // Awaited on a new runtime: why the task has no result.
    Runtime other = rt_test::make_runtime();
    CHECK(rt_test::run(other, outcome(&parked)) == "error: the runtime was destroyed");
    CHECK(rt_test::run(other, outcome(&finished)) == "error: the runtime was destroyed");
}

}  // namespace
