// Exercise 04 — a listening socket, closed on every failure path.
//
// Write bind_listener(addr): the four steps of TcpListener::bind, by hand.
//
//  1. socket() of addr's family (addr.family()), SOCK_STREAM, made
//     non-blocking and close-on-exec in the same call;
//  2. setsockopt(SOL_SOCKET, SO_REUSEADDR, 1), so a restarted server can
//     bind a port that still has connections in TIME_WAIT;
//  3. bind() to addr (addr.to_raw() gives the pointer and the length);
//  4. listen() with a backlog of 1024.
//
// Make every call through METALIO_SYSCALL. When a step fails, return its
// error, and make sure the socket from step 1 is closed: a server that
// retries a failing bind must not lose one descriptor per attempt.
#pragma once

#include "metalio/io.hpp"
#include "metalio/net/socket_addr.hpp"
#include "metalio/sys/owned_fd.hpp"

namespace metalio::exercise {

io::Result<sys::OwnedFd> bind_listener(const net::SocketAddr& addr);

}  // namespace metalio::exercise
