/// @file
/// IoSourceOwner: the Source forwarders every fd-owning I/O type of stage 08 shares.
#pragma once

#include <utility>

#include "metalio/io_source.hpp"

namespace metalio {

// [io-source-owner]
/// The part every owning I/O type of stage 08 has in common: one IoSource,
/// the three Source operations forwarded to it, and the raw-fd accessors.
///
/// mio writes the same three forwarding functions by hand in every type
/// (`impl event::Source for UdpSocket`, `for UnixStream`, ...). Stage 08 adds
/// six such types at once (UdpSocket, UnixListener, UnixStream, UnixDatagram
/// and the two pipe ends), so the forwarders live here once and each type
/// inherits them. The base holds no virtual function: a derived type is
/// exactly as big as its IoSource, and Registry's templates still call the
/// members directly. Introduced in chapter 08 (udp-unix).
class IoSourceOwner {
public:
    /// The descriptor, still owned by this object.
    [[nodiscard]] int as_raw_fd() const noexcept { return inner_.as_raw_fd(); }
    /// Gives the descriptor up (deregistering it first in a poll(2) build);
    /// the caller must close it.
    [[nodiscard]] int into_raw_fd() && noexcept { return std::move(inner_).into_fd().release(); }

    /// Source: registers the descriptor (see IoSource::register_).
    io::Result<void> register_(const Registry& registry, Token token, Interest interests) const noexcept {
        return inner_.register_(registry, token, interests);
    }
    /// Source: changes token and interests.
    io::Result<void> reregister(const Registry& registry, Token token, Interest interests) const noexcept {
        return inner_.reregister(registry, token, interests);
    }
    /// Source: stops the events.
    io::Result<void> deregister(const Registry& registry) const noexcept { return inner_.deregister(registry); }

protected:
    /// Takes ownership of @p fd.
    explicit IoSourceOwner(sys::OwnedFd fd) noexcept : inner_(std::move(fd)) {}

    /// The owned, registrable descriptor; all I/O goes through inner_.do_io.
    IoSource inner_;
};
// [io-source-owner]

static_assert(Source<IoSourceOwner>);

}  // namespace metalio
