/// @file
/// The platform's TCP calls for the shared class files of net::TcpListener
/// and net::TcpStream: sys/unix/tcp.hpp and sys/unix/net.hpp, or their
/// winsock siblings in sys/windows/ (the same functions).
#pragma once

// [platform]
#if defined(_WIN32)
#include "metalio/sys/windows/net.hpp"
#include "metalio/sys/windows/tcp.hpp"
#else
#include <netinet/in.h>   // IPPROTO_IP, IPPROTO_TCP
#include <netinet/tcp.h>  // TCP_NODELAY

#include "metalio/sys/unix/net.hpp"
#include "metalio/sys/unix/tcp.hpp"
#endif
// [platform]
