// Stage 02 on Windows: the IOCP selector allocates nothing per event once
// it is warm (issue 21; mio hands each poll its Arc through the OVERLAPPED
// pointer and allocates nothing either). Counted by replacing the global
// operator new of this test program (the mingw-w64 build links statically,
// so the library's allocations come here too).
#include "metalio_test.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

#include "metalio/events.hpp"
#include "metalio/sys/selector.hpp"
#include "windows_socket_pair.hpp"

namespace {
std::atomic<std::size_t> allocations{0};
}  // namespace

// The replaceable allocation functions the library can reach: plain and
// array new (the nothrow forms call these in libstdc++).
void* operator new(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }

using namespace std::chrono_literals;
using metalio::Events;
using metalio::Interest;
using metalio::Token;
using metalio::sys::Selector;

TEST_CASE("a warm selector allocates nothing per event: select, read to WouldBlock, re-arm") {
    auto pair = metalio::test::socket_pair();
    auto selector = Selector::create();
    REQUIRE(selector.has_value());
    auto state = selector->register_(pair.b.get(), Token{7}, Interest::READABLE);
    REQUIRE(state.has_value());
    Events events = Events::with_capacity(16);

    // One round trip of a server: a byte arrives, select() reports it, the
    // program reads until WouldBlock and re-arms (what IoSource::do_io does).
    auto round = [&] {
        REQUIRE(::send(pair.a.get(), "x", 1, 0) == 1);
        std::size_t seen = 0;
        for (int turn = 0; turn < 50 && seen == 0; ++turn) {
            REQUIRE(selector->select(events, 5s));
            seen = events.size();
        }
        REQUIRE(seen == 1);
        char buffer[16];
        while (::recv(pair.b.get(), buffer, sizeof buffer, 0) > 0) {
        }
        REQUIRE(::WSAGetLastError() == WSAEWOULDBLOCK);
        REQUIRE(selector->reregister(**state, Token{7}, Interest::READABLE));
    };
    for (int i = 0; i < 20; ++i) round();  // warm: the queues have their capacity

    constexpr int kEvents = 500;
    const std::size_t before = allocations.load();
    for (int i = 0; i < kEvents; ++i) round();
    const std::size_t allocated = allocations.load() - before;
    MESSAGE(allocated << " allocations in " << kEvents << " events");
    CHECK(allocated == 0);
    REQUIRE(selector->deregister(**state));
}
