/// @file
/// posix::SourceFd: register any raw file descriptor.
#pragma once

#include "metalio/registry.hpp"

namespace metalio::posix {

// [source-fd]
/// Makes any file descriptor a Source: the bridge between the typed world
/// (Registry, Source) and the selector, which only knows fds. mio's
/// `unix::SourceFd`.
///
/// It does not own the fd and does no association check: it is the lowest
/// layer, which the owning types (TcpListener, TcpStream, Waker) build on.
/// With the poll(2) selector, an fd registered this way is disarmed after
/// each event until reregistered (see sys::poll::Selector).
/// Introduced in chapter 03 (source).
struct SourceFd {
    int fd;  ///< The descriptor (borrowed: SourceFd never closes it).

    /// Registers #fd with the registry's selector.

    io::Result<void> register_(const Registry& registry, Token token, Interest interests) const noexcept {
        return registry.selector().register_(fd, token, interests);
    }
    /// Reregisters #fd.
    io::Result<void> reregister(const Registry& registry, Token token, Interest interests) const noexcept {
        return registry.selector().reregister(fd, token, interests);
    }
    /// Deregisters #fd.
    io::Result<void> deregister(const Registry& registry) const noexcept {
        return registry.selector().deregister(fd);
    }
};
// [source-fd]

static_assert(Source<SourceFd>);

}  // namespace metalio::posix
