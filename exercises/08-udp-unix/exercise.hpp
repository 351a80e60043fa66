// Exercise 08 — draining a datagram socket.
//
// Write drain_datagrams(fd, max_size, out): receive every datagram queued on
// the non-blocking datagram socket fd (UDP, or a Unix datagram socket) and
// append each one, whole and in order, to out. Return how many were received.
//
//  - One receive is one datagram. A receive that returns fewer bytes than
//    the buffer holds is simply a short datagram: it does NOT mean that the
//    queue is empty (that shortcut belongs to byte streams). Stop only at
//    WouldBlock, which is success. An empty datagram is a datagram too.
//  - A datagram longer than max_size must not be cut silently: the kernel
//    would drop its tail. Detect it, and return the error
//    std::errc::message_size (EMSGSIZE) after it was taken off the queue;
//    the datagrams received before it stay in out, and the ones after it
//    stay queued for the next call.
//  - A signal (EINTR) is retried; any other error is returned.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "metalio/io.hpp"

namespace metalio::exercise {

io::Result<std::size_t> drain_datagrams(int fd, std::size_t max_size, std::vector<std::string>& out);

}  // namespace metalio::exercise
