// Stage 02 example, Windows form: the IOCP selector on its own. One end of
// a loopback TCP connection is registered for READABLE; sending from the
// other end produces one event. (The AFD driver polls sockets only, so a
// connection plays the part the pipe plays on Linux.)
//
// Run it with `make run CH=02 OS=windows`.
#include <winsock2.h>

#include <chrono>
#include <cstdio>

#include "metalio/events.hpp"
#include "metalio/sys/selector.hpp"
#include "metalio/sys/windows/owned_socket.hpp"

using namespace std::chrono_literals;
using metalio::Events;
using metalio::Interest;
using metalio::Token;
using metalio::sys::windows::OwnedSocket;

namespace {

// A connected pair over 127.0.0.1, made with plain blocking winsock calls.
bool connect_pair(OwnedSocket& client, OwnedSocket& server) {
    const OwnedSocket listener(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int length = sizeof addr;
    if (::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener.get(), 1) != 0 ||
        ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &length) != 0)
        return false;
    client = OwnedSocket(::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
    if (::connect(client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return false;
    server = OwnedSocket(::accept(listener.get(), nullptr, nullptr));
    u_long non_blocking = 1;
    return server.get() != INVALID_SOCKET && ::ioctlsocket(server.get(), FIONBIO, &non_blocking) == 0;
}

}  // namespace

int main() {
    if (!metalio::sys::windows::init_winsock()) return 1;
    OwnedSocket client(INVALID_SOCKET), server(INVALID_SOCKET);
    if (!connect_pair(client, server)) {
        std::printf("could not connect over 127.0.0.1: error %d\n", ::WSAGetLastError());
        return 1;
    }

    // [setup]
    auto selector = metalio::sys::Selector::create();
    if (!selector) {
        std::printf("creating the selector failed: %s\n", selector.error().message().c_str());
        return 1;
    }
    constexpr Token kSocket{7};
    // The registration is a SockState the caller keeps: the AFD poll request
    // in flight lives in it.
    auto registration = selector->register_(server.get(), kSocket, Interest::READABLE);
    if (!registration) {
        std::printf("register failed: %s\n", registration.error().message().c_str());
        return 1;
    }
    // [setup]

    // [select]
    Events events = Events::with_capacity(16);
    (void)selector->select(events, 0ms);  // nothing sent yet
    std::printf("before sending: %zu event(s)\n", events.size());

    (void)::send(client.get(), "hello", 5, 0);
    if (auto polled = selector->select(events, 1s); !polled) {
        std::printf("select failed: %s\n", polled.error().message().c_str());
        return 1;
    }
    std::printf("after sending:  %zu event(s)\n", events.size());
    for (const metalio::Event event : events) {
        std::printf("  token=%zu readable=%d writable=%d read_closed=%d error=%d\n", event.token().value,
                    event.is_readable(), event.is_writable(), event.is_read_closed(), event.is_error());
    }
    // [select]
    (void)selector->deregister(**registration);
    return 0;
}
