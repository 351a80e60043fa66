// FdLeakCheck: fails the current test if it ends with more (or fewer) open
// file descriptors (on Windows: kernel handles, sockets included) than it
// started with.
#pragma once

#if defined(_WIN32)
#include <winsock2.h>
#include <windows.h>

#include <cstdint>
#else
#include <dirent.h>
#endif

#include <cstddef>

#include <doctest/doctest.h>

namespace metalio::test {

#if defined(_WIN32)
/// Open handles of this process (sockets, completion ports, AFD handles,
/// events, ...). GetProcessHandleCount() answers 0 under Wine, so the
/// handle table is probed: handle values are multiples of 4 handed out
/// lowest-free-first, and GetHandleInformation() succeeds only for an open
/// one. The first 2048 slots cover every test (a probe costs about 40 µs
/// under Wine, so one count is well under 0.1 s).
inline std::size_t open_fd_count() {
    // Winsock opens handles of its own with the first socket of the
    // process, and Wine's winsock one more per thread with the first
    // operation that could block (an event it waits on): both are kept, so
    // make them exist before the first count, or they look like a leak of
    // whichever test comes first.
    static const bool winsock_started = [] {
        WSADATA data;
        if (::WSAStartup(MAKEWORD(2, 2), &data) != 0) return false;
        const SOCKET socket = ::socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        u_long non_blocking = 1;
        sockaddr_in loopback{};
        loopback.sin_family = AF_INET;
        loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        (void)::ioctlsocket(socket, FIONBIO, &non_blocking);
        (void)::bind(socket, reinterpret_cast<sockaddr*>(&loopback), sizeof loopback);
        (void)::listen(socket, 1);
        (void)::accept(socket, nullptr, nullptr);  // would block: nobody connects
        ::closesocket(socket);
        return true;
    }();
    (void)winsock_started;
    std::size_t count = 0;
    for (std::uintptr_t value = 4; value <= 4 * 2048; value += 4) {
        DWORD flags = 0;
        if (::GetHandleInformation(reinterpret_cast<HANDLE>(value), &flags)) ++count;
    }
    return count;
}
#else
/// Open descriptors of this process, from /proc/self/fd.
inline std::size_t open_fd_count() {
    std::size_t count = 0;
    if (DIR* dir = ::opendir("/proc/self/fd")) {
        while (const dirent* entry = ::readdir(dir)) {
            if (entry->d_name[0] != '.') ++count;
        }
        ::closedir(dir);
        --count;  // the descriptor opendir itself holds
    }
    return count;
}
#endif

/// Put one at the top of a test case: its destructor checks the count.
class FdLeakCheck {
public:
    FdLeakCheck() : before_(open_fd_count()) {}
    FdLeakCheck(const FdLeakCheck&) = delete;
    FdLeakCheck& operator=(const FdLeakCheck&) = delete;
    ~FdLeakCheck() {
        const std::size_t after = open_fd_count();
        CHECK_MESSAGE(after == before_, "file descriptors leaked: ", before_, " open before the test, ", after,
                      " after");
    }

private:
    std::size_t before_;
};

}  // namespace metalio::test
