// Exercise 02 — many pipes, one selector.
//
// Write gather(): read every pipe in `readers` to its end, with one
// sys::Selector and no threads, and return what came out of each, in the
// order of `readers` (result[i] is everything read from readers[i]).
// The writers write when they like, in any order, and may close at once.
//
//  - Register each fd (a non-blocking read end) for READABLE, with a token
//    that tells you which one it is.
//  - The selector is edge-triggered: a readable event is reported once per
//    change, so on each one read until the fd says WouldBlock, or until a
//    read returns 0 bytes (the writer closed; that pipe is finished:
//    deregister it). What the reported flags say about a close is a hint;
//    the read of 0 bytes is the fact.
//  - Portable: the poll(2) selector (SELECTOR=poll) only imitates edges, and
//    its page in chapter 02 says what a raw fd needs after it was drained.
//  - A signal may interrupt select() or read(): try again.
//  - If no event at all arrives for `idle_timeout`, give up with
//    std::errc::timed_out (a writer that never closes must not hang you).
//  - Any other error (a bad fd, say) is returned.
//
// Every system call through METALIO_SYSCALL (the selector's already are).
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "metalio/io.hpp"

namespace metalio::exercise {

io::Result<std::vector<std::string>> gather(std::span<const int> readers, std::chrono::milliseconds idle_timeout);

}  // namespace metalio::exercise
