#include "metalio/sys/windows/owned_socket.hpp"

#include "metalio/sys/windows/error.hpp"

namespace metalio::sys::windows {

// [winsock-init-impl]
io::Result<void> init_winsock() noexcept {
    // A function-local static is initialised exactly once, also when two
    // threads make their first socket at the same moment.
    static const int started = [] {
        WSADATA data;
        return ::WSAStartup(MAKEWORD(2, 2), &data);  // returns the error itself
    }();
    if (started != 0) return std::unexpected(error_code(static_cast<unsigned long>(started)));
    return {};
}
// [winsock-init-impl]

}  // namespace metalio::sys::windows
