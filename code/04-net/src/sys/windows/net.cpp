#include "metalio/sys/windows/net.hpp"

#include "metalio/sys/windows/syscall.hpp"

namespace metalio::sys::net {

// [new-socket-impl]
io::Result<OwnedSocket> new_socket(int domain, int type) noexcept {
    if (auto started = windows::init_winsock(); !started) return std::unexpected(started.error());
    const auto made = METALIO_WINCALL(fails_with_socket_error, WSASocketW, domain, type, 0,
                                      LPWSAPROTOCOL_INFOW{nullptr}, GROUP{0},
                                      DWORD{WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT});
    if (!made) return std::unexpected(made.error());
    OwnedSocket socket(*made);  // closed on the error path below
    if (auto done = set_non_blocking(socket.get()); !done) return std::unexpected(done.error());
    return socket;
}
// [new-socket-impl]

io::Result<OwnedSocket> new_ip_socket(const metalio::net::SocketAddr& addr, int type) noexcept {
    return new_socket(addr.family(), type);
}

io::Result<void> set_non_blocking(SOCKET socket) noexcept {
    u_long on = 1;
    const auto done = METALIO_WINCALL(fails_with_socket_error, ioctlsocket, socket, static_cast<long>(FIONBIO), &on);
    if (!done) return std::unexpected(done.error());
    return {};
}

io::Result<void> set_int_option(SOCKET socket, int level, int name, int value) noexcept {
    // Winsock declares the value as `const char*`; the option is still an int.
    const auto done = METALIO_WINCALL(fails_with_socket_error, setsockopt, socket, level, name,
                                      reinterpret_cast<const char*>(&value), int{sizeof value});
    if (!done) return std::unexpected(done.error());
    return {};
}

io::Result<int> int_option(SOCKET socket, int level, int name) noexcept {
    int value = 0;
    int length = sizeof value;
    const auto done = METALIO_WINCALL(fails_with_socket_error, getsockopt, socket, level, name,
                                      reinterpret_cast<char*>(&value), &length);
    if (!done) return std::unexpected(done.error());
    return value;
}

// [take-error]
io::Result<std::optional<std::error_code>> take_error(SOCKET socket) noexcept {
    const auto error = int_option(socket, SOL_SOCKET, SO_ERROR);
    if (!error) return std::unexpected(error.error());
    if (*error == 0) return std::optional<std::error_code>{};
    return std::optional<std::error_code>{windows::error_code(static_cast<unsigned long>(*error))};
}
// [take-error]

namespace {

template <class Getter>
io::Result<metalio::net::SocketAddr> ask_address(Getter getter) noexcept {
    sockaddr_storage storage{};
    int length = sizeof storage;
    const auto done = getter(reinterpret_cast<sockaddr*>(&storage), &length);
    if (!done) return std::unexpected(done.error());
    return metalio::net::SocketAddr::from_raw(storage, length);
}

}  // namespace

io::Result<metalio::net::SocketAddr> local_addr(SOCKET socket) noexcept {
    return ask_address([socket](sockaddr* addr, int* length) {
        return METALIO_WINCALL(fails_with_socket_error, getsockname, socket, addr, length);
    });
}

io::Result<metalio::net::SocketAddr> peer_addr(SOCKET socket) noexcept {
    return ask_address([socket](sockaddr* addr, int* length) {
        return METALIO_WINCALL(fails_with_socket_error, getpeername, socket, addr, length);
    });
}

}  // namespace metalio::sys::net
