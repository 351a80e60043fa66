/// @file
/// Stage 09's TCP header, for a program built on the ring instead: its
/// rt::TcpListener and rt::TcpStream are the ring's (see runtime.hpp here).
#pragma once

#include "metalio/rt/ring/tcp_listener.hpp"

namespace metalio::rt {
using ring::TcpListener;
using ring::TcpStream;
}  // namespace metalio::rt
