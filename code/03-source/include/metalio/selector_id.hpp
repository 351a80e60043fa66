/// @file
/// SelectorId: which registry a source is registered with.
#pragma once

#include <atomic>
#include <cstddef>

#include "metalio/registry.hpp"

namespace metalio {

// [selector-id]
/// Remembers the id of the selector a source is registered with (0: none),
/// so that registering one source with two Polls is an error instead of a
/// source whose events go to whichever Poll the kernel picks.
///
/// mio keeps this check in debug builds only. Here it always runs: it is one
/// compare-and-swap on register and one atomic load on reregister and
/// deregister, next to a system call that costs a hundred times more.
/// Introduced in chapter 03 (source).
class SelectorId {
public:
    /// Not associated with any selector.
    SelectorId() noexcept = default;
    SelectorId(const SelectorId&) = delete;
    SelectorId& operator=(const SelectorId&) = delete;
    /// Moving a source moves its association with it.
    SelectorId(SelectorId&& other) noexcept : id_(other.id_.exchange(0)) {}
    /// Moving a source moves its association with it.
    SelectorId& operator=(SelectorId&& other) noexcept {
        id_.store(other.id_.exchange(0));
        return *this;
    }

    /// On register: claims the source for @p registry's selector.
    /// Errc::already_registered if it is registered there already,
    /// Errc::registered_elsewhere if with another selector.
    io::Result<void> associate(const Registry& registry) noexcept;
    /// On reregister: the source must be registered with @p registry.
    io::Result<void> check_association(const Registry& registry) const noexcept;
    /// On deregister: checks, then forgets the association.
    io::Result<void> remove_association(const Registry& registry) noexcept;

private:
    std::atomic<std::size_t> id_{0};
};
// [selector-id]

}  // namespace metalio
