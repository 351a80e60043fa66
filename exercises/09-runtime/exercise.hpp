// Exercise 09 — a read with a deadline.
//
// Write read_timeout(stream, buffer, limit): read into `buffer` like
// stream.read(buffer) does, but give up once `limit` has passed.
//
//  - If bytes arrive in time, return what read() returned (the count).
//  - If the limit passes first, return the error std::errc::timed_out,
//    and the read must be cancelled: it must not take bytes that arrive
//    later (the caller reads them with the next read).
//  - Do not wait for the limit when the bytes come earlier.
//
// Build it from rt::select (two tasks, the first to finish wins, the other
// is destroyed where it waits) and rt::sleep_for. Not from rt::timeout:
// that is the answer.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>

#include "metalio/rt/tcp_stream.hpp"

namespace metalio::exercise {

rt::Task<io::Result<std::size_t>> read_timeout(rt::TcpStream& stream, std::span<std::byte> buffer,
                                               std::chrono::nanoseconds limit);

}  // namespace metalio::exercise
