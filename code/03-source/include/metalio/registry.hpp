/// @file
/// Registry: registers sources with a selector.
#pragma once

#include <atomic>
#include <memory>
#include <type_traits>
#include <utility>

#include "metalio/source.hpp"
#include "metalio/sys/selector.hpp"

namespace metalio {

// The library's own types that reach the selector (see Registry's friends).
class Poll;
class Waker;
class IoSource;
class SelectorId;
namespace posix {
struct SourceFd;
}

// [registry]
/// Registers event sources with the selector: mio's `Registry`.
///
/// `register` is a C++ keyword (a storage class, reserved since C++17), so
/// the operation is spelled register_ everywhere in metalio: here, in the
/// Source concept and in the selectors. The trailing underscore is the
/// usual C++ spelling for a name taken by the language (Boost's `and_`,
/// `if_`), and keeps every other name identical to mio's.
///
/// All functions are `const` and may be called from any thread, also while
/// another thread is blocked in Poll::poll. Introduced in chapter 03 (source).
class Registry {
public:
    /// Wraps a selector. Usually made by Poll::create() (chapter 05).
    explicit Registry(sys::Selector selector) noexcept;

    // [forward]
    /// Starts delivering events for @p source with @p token.
    template <class S>
        requires Source<std::remove_cvref_t<S>>
    io::Result<void> register_(S&& source, Token token, Interest interests) const {
        return source.register_(*this, token, interests);
    }
    /// Replaces the token and interests of a registered source.
    template <class S>
        requires Source<std::remove_cvref_t<S>>
    io::Result<void> reregister(S&& source, Token token, Interest interests) const {
        return source.reregister(*this, token, interests);
    }
    /// Stops delivering events for @p source.
    template <class S>
        requires Source<std::remove_cvref_t<S>>
    io::Result<void> deregister(S&& source) const {
        return source.deregister(*this);
    }
    // [forward]

    /// Another Registry for the same selector, e.g. to hand to another thread.
    io::Result<Registry> try_clone() const noexcept;

    /// Claims the one Waker slot of this selector (and its clones): the first
    /// call succeeds, later ones fail with Errc::waker_exists until
    /// release_waker(). Used by Waker (chapter 07); declared here because
    /// stages only add files.
    io::Result<void> claim_waker() const noexcept;
    /// Frees the Waker slot again (a Waker's destructor calls it).
    void release_waker() const noexcept;

private:
    // [selector-access]
    // The selector is not public: with it, anyone holding a `const Registry&`
    // could call select() and wait, and only Poll waits. mio keeps the same
    // accessor crate-private (`pub(crate)`); C++ names the library's types
    // that reach it. Later stages' classes are declared friends here already,
    // because stages only add files.
    friend class Poll;              // waits (chapter 05)
    friend class Waker;             // registers its eventfd (chapter 07)
    friend class IoSource;          // keeps a handle to re-arm after WouldBlock or a short read
    friend class SelectorId;        // compares selector ids
    friend struct posix::SourceFd;  // hands a raw fd to the selector

    /// The selector (mio's `poll::selector`, crate-private there too).
    [[nodiscard]] const sys::Selector& selector() const noexcept { return selector_; }
    // [selector-access]

    Registry(sys::Selector selector, std::shared_ptr<std::atomic<bool>> has_waker) noexcept
        : selector_(std::move(selector)), has_waker_(std::move(has_waker)) {}

    sys::Selector selector_;
    std::shared_ptr<std::atomic<bool>> has_waker_;  // shared with clones
};
// [registry]

}  // namespace metalio
