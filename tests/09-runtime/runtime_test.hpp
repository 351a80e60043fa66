// Shared by the stage-09 tests: a runtime per test and a loopback pair.
#pragma once

#include <utility>

#include "metalio/rt/runtime.hpp"
#include "metalio/rt/tcp_listener.hpp"
#include "metalio_test.hpp"

namespace rt_test {

/// A fresh runtime (each test case makes its own, so none leaks into the next).
inline metalio::rt::Runtime make_runtime() {
    auto runtime = metalio::rt::Runtime::create();
    REQUIRE_MESSAGE(runtime.has_value(), "Runtime::create failed: ", metalio::test::why(runtime));
    return std::move(*runtime);
}

/// Runs @p task to its end on @p runtime and returns its value.
template <class T>
T run(metalio::rt::Runtime& runtime, metalio::rt::Task<T> task) {
    auto result = runtime.block_on(std::move(task));
    REQUIRE_MESSAGE(result.has_value(), "block_on failed: ", metalio::test::why(result));
    if constexpr (!std::is_void_v<T>) return std::move(*result);
}

/// A connected pair of runtime streams on 127.0.0.1 (inside a task).
struct Pair {
    metalio::rt::TcpStream client;
    metalio::rt::TcpStream server;
};

inline metalio::rt::Task<Pair> connected_pair() {
    auto listener = metalio::rt::TcpListener::bind(*metalio::net::SocketAddr::parse("127.0.0.1:0"));
    REQUIRE_MESSAGE(listener.has_value(), "bind: ", metalio::test::why(listener));
    auto client = co_await metalio::rt::TcpStream::connect(*listener->local_addr());
    REQUIRE_MESSAGE(client.has_value(), "connect: ", metalio::test::why(client));
    auto accepted = co_await listener->accept();
    REQUIRE_MESSAGE(accepted.has_value(), "accept: ", metalio::test::why(accepted));
    co_return Pair{std::move(*client), std::move(accepted->first)};
}

/// The bytes of a string literal, for reads and writes.
inline std::span<const std::byte> bytes(std::string_view text) { return std::as_bytes(std::span(text)); }

}  // namespace rt_test
