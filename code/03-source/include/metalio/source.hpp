/// @file
/// The Source concept: what a type must offer to be registered.
#pragma once

#include <concepts>

#include "metalio/interest.hpp"
#include "metalio/io.hpp"
#include "metalio/token.hpp"

namespace metalio {

class Registry;

// [source]
/// Anything that can be registered with a Registry: mio's `event::Source`.
///
/// A source implements the three operations by handing its file
/// descriptor(s) down to the registry's selector, usually through
/// posix::SourceFd or IoSource. Callers never call these directly; they call
/// Registry::register_, Registry::reregister and Registry::deregister, which
/// forward here.
///
/// A concept, not a virtual base class: Registry's functions are templates,
/// so the call resolves at compile time and inlines down to epoll_ctl with no
/// vtable and no heap object per source, just as Rust's generic
/// `register<S: Source>` monomorphises. A type satisfies it without
/// inheriting anything, so a user type that owns an fd plugs in by adding
/// three member functions. Introduced in chapter 03 (source).
template <class S>
concept Source = requires(S& source, const Registry& registry, Token token, Interest interests) {
    { source.register_(registry, token, interests) } -> std::same_as<io::Result<void>>;
    { source.reregister(registry, token, interests) } -> std::same_as<io::Result<void>>;
    { source.deregister(registry) } -> std::same_as<io::Result<void>>;
};
// [source]

}  // namespace metalio
