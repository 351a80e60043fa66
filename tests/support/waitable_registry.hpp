// A Registry with a handle on its selector beside it, for the tests of the
// stages before Poll (03, 04). Registry does not hand out its selector (only
// Poll waits), so a test that has no Poll yet keeps its own clone of the
// selector to wait on, as Poll keeps one inside.
#pragma once

#include <utility>

#include "doctest/doctest.h"
#include "metalio/registry.hpp"

namespace metalio::test {

/// Registers like any Registry; `selector.select(...)` waits for its events.
struct WaitableRegistry : Registry {
    /// A clone of the Registry's selector: the same table or epoll instance.
    sys::Selector selector;

    WaitableRegistry(sys::Selector waiter, sys::Selector registering)
        : Registry(std::move(registering)), selector(std::move(waiter)) {}
};

/// A new selector, wrapped in a WaitableRegistry.
inline WaitableRegistry make_waitable_registry() {
    auto selector = sys::Selector::create();
    REQUIRE(selector.has_value());
    auto clone = selector->try_clone();
    REQUIRE(clone.has_value());
    return WaitableRegistry(std::move(*selector), std::move(*clone));
}

}  // namespace metalio::test
