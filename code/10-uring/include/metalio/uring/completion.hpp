/// @file
/// Completion and OpId: what a submitted operation gives back, and its name.
#pragma once

#include <cstddef>
#include <cstdint>

#include "metalio/io.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/token.hpp"
#include "metalio/uring/buffer.hpp"
#include "metalio/uring/provided_buffer.hpp"

namespace metalio::uring {

/// Names one submitted operation, to cancel it (Driver::cancel). The
/// kernel's user-data field carries it; a slot number with a generation,
/// so an old OpId never names a newer operation. Introduced in chapter 10.
struct OpId {
    std::uint64_t value = 0;  ///< generation << 32 | slot
    /// OpIds compare by value.
    friend constexpr bool operator==(OpId, OpId) = default;
};

// [completion]
/// The result of one operation, reaped by Driver::next(): the Token it was
/// submitted with, what the kernel answered, and the Buffer it owned.
///
/// `result` is the byte count of a recv or send (0 from recv: end of
/// stream), the new descriptor of an accept (also in `accepted`, which
/// closes it unless taken), 0 for a cancel, or an error: ECANCELED for an
/// operation that was cancelled, ETIME for a timeout that expired (its
/// normal end), ENOENT for a cancel that found nothing to cancel, ENOBUFS
/// for a recv from a BufferRing that had no buffer left (the bytes stay in
/// the socket; a multishot recv ends with it).
/// Introduced in chapter 10 (uring).
struct Completion {
    Token token;                      ///< the operation's token, as submitted
    io::Result<std::size_t> result;   ///< bytes, descriptor, or why it failed
    Buffer buffer;                    ///< the operation's buffer, back with its owner
    sys::OwnedFd accepted{-1};        ///< an accepted connection (accept only)
    bool more = false;                ///< a multishot operation goes on: more completions follow
    ProvidedBuffer provided;          ///< the bytes of a recv from a BufferRing (given back when dropped)
};
// [completion]

}  // namespace metalio::uring
