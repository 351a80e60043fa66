// Exercise 04 — connect, and know when it is done.
//
// TcpStream::connect returns at once: the handshake is still under way
// (EINPROGRESS counts as success). Write connect_within(addr, timeout),
// which returns a stream only once it is really connected:
//
//  - connect, then wait for the stream's completion event, at most
//    `timeout` (a signal may cut a wait short: wait again). There is no
//    Poll yet (chapter 05), and a Registry does not let you wait: make a
//    sys::Selector, wait on it, and register through a Registry made from
//    its try_clone() (the same epoll instance, or the same poll(2) table).
//  - Which interest reports that a connect has finished, and how do you
//    ask the stream whether it succeeded? Chapter 04 says both: an event
//    alone does not tell success from refusal.
//  - No event within `timeout`: std::errc::timed_out. Refused (or any other
//    failure): that error, e.g. ECONNREFUSED.
//  - The caller will register the stream with its own Poll. Chapter 03 says
//    what a stream remembers about the selector it was registered with:
//    leave it free for the next one.
#pragma once

#include <chrono>

#include "metalio/io.hpp"
#include "metalio/net/socket_addr.hpp"
#include "metalio/net/tcp_stream.hpp"

namespace metalio::exercise {

io::Result<net::TcpStream> connect_within(const net::SocketAddr& addr, std::chrono::milliseconds timeout);

}  // namespace metalio::exercise
