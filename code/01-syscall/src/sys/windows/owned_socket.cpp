#include "metalio/sys/windows/owned_socket.hpp"

#include <atomic>
#include <mutex>

#include "metalio/sys/windows/syscall.hpp"

namespace metalio::sys::windows {

// [winsock-init-impl]
io::Result<void> init_winsock() noexcept {
    // After one success, never again (winsock counts its starts, and
    // metalio never calls WSACleanup). The lock makes two threads that make
    // their first socket at the same moment start it once. A failure is not
    // remembered: it is returned, and the next socket tries again, as the
    // next socket() after an EMFILE does on Unix.
    static std::atomic<bool> started{false};
    static std::mutex starting;
    if (started.load(std::memory_order_acquire)) return {};
    const std::lock_guard lock(starting);
    if (started.load(std::memory_order_relaxed)) return {};
    WSADATA data;
    const auto done = METALIO_WINCALL(returns_error_number, WSAStartup, WORD{MAKEWORD(2, 2)}, &data);
    if (!done) return std::unexpected(done.error());
    started.store(true, std::memory_order_release);
    return {};
}
// [winsock-init-impl]

}  // namespace metalio::sys::windows
