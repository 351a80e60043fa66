// Stage 09 (Unix): a stream destroyed while a dup of its descriptor keeps
// the socket open is deregistered all the same, so an event on the dup
// never reaches the readiness record (under AddressSanitizer in make test:
// a record freed with the stream would be a use-after-free).
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>

#include "metalio/rt/context.hpp"
#include "metalio/rt/reactor.hpp"
#include "metalio/rt/timers.hpp"
#include "runtime_test.hpp"

using namespace std::chrono_literals;
using metalio::rt::Runtime;
using metalio::rt::Task;
using metalio::rt::TcpStream;

namespace {

// [dup-test]
Task<std::string> dup_then_drop_then_event() {
    auto pair = co_await rt_test::connected_pair();
    const int dup_fd = ::dup(pair.server.get_ref().as_raw_fd());
    REQUIRE(dup_fd >= 0);
    std::optional<TcpStream> server(std::move(pair.server));
    server.reset();  // deregistered, then closed; the dup keeps the socket open
    // New streams take the freed record (under a new generation).
    auto next = co_await rt_test::connected_pair();
    (void)co_await pair.client.write_all("x");  // the dup's socket turns readable
    for (int i = 0; i < 5; ++i) co_await metalio::rt::sleep_for(5ms);  // several reactor turns
    const std::size_t stale = metalio::rt::Context::current()->reactor.stale_events();
    ::close(dup_fd);
    // The record's new user is untouched: it still carries bytes.
    (void)co_await next.client.write_all("ok");
    char buffer[8];
    auto read = co_await next.server.read(std::as_writable_bytes(std::span(buffer)));
    REQUIRE(read);
    co_return std::string(buffer, *read) + " stale=" + std::to_string(stale);
}

TEST_CASE("a dup keeps the socket open, the stream is dropped, the dup turns readable: nothing is delivered") {
    const metalio::test::FdLeakCheck no_leak;
    Runtime runtime = rt_test::make_runtime();
    CHECK(rt_test::run(runtime, dup_then_drop_then_event()) == "ok stale=0");
}
// [dup-test]

}  // namespace
