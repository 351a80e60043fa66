// Exercise 06 — drain a connection.
//
// Write drain(): after a readable event, read everything the stream has, and
// append it to `received`. Return true if the peer has closed its side (a
// read returned 0 bytes), false if the stream is still open.
//
//  - Edge-triggered readiness is reported once per change: bytes you leave
//    unread now will not produce another event. So keep reading until the
//    stream says WouldBlock (io::is_would_block), which is not an error here.
//  - A read interrupted by a signal (io::is_interrupted) is simply tried again.
//  - Any other error is returned to the caller.
#pragma once

#include <string>

#include "metalio/net/tcp_stream.hpp"

namespace metalio::exercise {

io::Result<bool> drain(const net::TcpStream& stream, std::string& received);

}  // namespace metalio::exercise
