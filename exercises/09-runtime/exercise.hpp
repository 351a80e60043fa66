// Exercise 09 — a write that can be cancelled without losing count.
//
// rt::TcpStream::write_all is not cancel-safe: cancelled (by a timeout, or
// by select), it may have written part of the buffer and nobody knows how
// much. Write write_counted(stream, data, written): write all of `data`,
// like write_all, but keep `*written` true at every moment the task could
// be cancelled.
//
//  - `*written` starts at 0 (set it) and is, whenever the task is
//    suspended, exactly the number of bytes of `data` the socket has taken
//    (the peer will receive data[0 .. *written), nothing more, nothing
//    else).
//  - Return success once all of `data` is written; the socket's error
//    (EPIPE, ECONNRESET, ...) if writing fails. Never hang on a peer that
//    is gone.
//  - An empty `data` returns success at once.
//
// The chapter's "Cancel safety" table says which of the stream's
// operations you can build this from.
#pragma once

#include <cstddef>
#include <span>

#include "metalio/rt/tcp_stream.hpp"

namespace metalio::exercise {

rt::Task<io::Result<void>> write_counted(rt::TcpStream& stream, std::span<const std::byte> data, std::size_t* written);

}  // namespace metalio::exercise
