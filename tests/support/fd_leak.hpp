// FdLeakCheck: fails the current test if it ends with more (or fewer) open
// file descriptors (on Windows: kernel handles of files, sockets included,
// completion ports and processes) than it started with.
#pragma once

#if defined(_WIN32)
#include <winsock2.h>
#include <windows.h>
#include <winternl.h>

#include <chrono>
#include <cstdint>
#include <string_view>
#include <thread>
#include <vector>

#include "latch.hpp"
#else
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string_view>
#endif

#include <cstddef>

#include <doctest/doctest.h>

#include "kqueue_settle.hpp"
#if defined(_WIN32) && __has_include("metalio/sys/selector.hpp")
#include "metalio/events.hpp"  // stage 02 on: the warm-up below polls through the IOCP selector
#include "metalio/sys/selector.hpp"
#define METALIO_TEST_WARM_UP_SELECTOR 1
#endif

namespace metalio::test {

#if defined(_WIN32)
/// Whether @p handle is of a kind that metalio or a test can own, and so
/// leak: a file (to the kernel, sockets, `\Device\Afd` handles and pipes
/// are files), a completion port or a process. Events, semaphores,
/// threads, keyed events and registry keys are not counted: the C++
/// runtime, winsock and Wine make them for their own bookkeeping and keep
/// them (winpthreads, for one, keeps the semaphores of the condition
/// variables behind std::latch and the event of a contended std::mutex),
/// and metalio makes none.
inline bool is_counted_handle(HANDLE handle) {
    alignas(8) unsigned char buffer[512];
    ULONG size = 0;
    if (::NtQueryObject(handle, ObjectTypeInformation, buffer, sizeof buffer, &size) < 0) return true;
    const UNICODE_STRING& type = reinterpret_cast<const PUBLIC_OBJECT_TYPE_INFORMATION*>(buffer)->TypeName;
    const std::wstring_view name(type.Buffer, type.Length / sizeof(wchar_t));
    return name == L"File" || name == L"IoCompletion" || name == L"Process";
}

/// Open handles of this process that is_counted_handle() counts.
/// GetProcessHandleCount() answers 0 under Wine, so the handle table is
/// probed: handle values are multiples of 4 handed out lowest-free-first,
/// and GetHandleInformation() succeeds only for an open one. The first 2048
/// slots cover every test (a probe costs about 40 µs under Wine, so one
/// count is well under 0.1 s).
inline std::size_t open_fd_count() {
    // Winsock opens handles of its own with the first socket of the
    // process, and Wine's winsock one more per thread with the first
    // operation that could block (an event it waits on): they are kept, so
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
        // The same for threads: a finished thread that made a winsock call
        // leaves handles that the runtime keeps for the next threads. Tests
        // use up to four threads at once; warm up four.
#if METALIO_TEST_WARM_UP_SELECTOR
        auto selector = sys::Selector::create();
#endif
        std::vector<std::thread> threads;
        Latch all_alive(4);  // not std::latch: see latch.hpp
        for (int i = 0; i < 4; ++i) {
            threads.emplace_back([&] {
                SOCKET base = INVALID_SOCKET;  // what the IOCP selector asks when it registers
                DWORD size = 0;
                (void)::WSAIoctl(socket, 0x48000022 /* SIO_BASE_HANDLE */, nullptr, 0, &base, sizeof base, &size,
                                 nullptr, nullptr);
#if METALIO_TEST_WARM_UP_SELECTOR
                // An AFD poll request made (and cancelled) by this thread.
                if (selector) {
                    if (auto state = selector->register_(socket, Token{0}, Interest::READABLE))
                        (void)selector->deregister(**state);
                }
#endif
                all_alive.arrive_and_wait();
            });
        }
        for (auto& thread : threads) thread.join();
#if METALIO_TEST_WARM_UP_SELECTOR
        if (selector) {
            auto events = Events::with_capacity(8);
            (void)selector->select(events, std::chrono::milliseconds(50));
        }
#endif
        ::closesocket(socket);
        return true;
    }();
    (void)winsock_started;
    std::size_t count = 0;
    for (std::uintptr_t value = 4; value <= 4 * 2048; value += 4) {
        DWORD flags = 0;
        const auto handle = reinterpret_cast<HANDLE>(value);
        if (::GetHandleInformation(handle, &flags) && is_counted_handle(handle)) ++count;
    }
    return count;
}
#else
/// The ways to count the open descriptors of this process, best first.
enum class FdCountMethod {
    proc,   ///< list /proc/self/fd (Linux)
    dev_fd, ///< list /dev/fd (macOS; FreeBSD with fdescfs mounted)
    probe,  ///< fcntl(F_GETFD) on every number below the descriptor limit (any Unix)
};

/// The open descriptors, listed from the directory @p path, or nullopt
/// when the directory is missing or does not list them all. FreeBSD
/// without fdescfs has a /dev/fd that shows only 0, 1 and 2: the listing
/// is trusted only if it shows the descriptor of the listing itself.
inline std::optional<std::size_t> count_fds_in(const char* path) {
    DIR* dir = ::opendir(path);
    if (dir == nullptr) return std::nullopt;
    const int own = ::dirfd(dir);
    std::size_t count = 0;
    bool saw_own = false;
    while (const dirent* entry = ::readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        ++count;
        if (std::atoi(entry->d_name) == own) saw_own = true;
    }
    ::closedir(dir);
    if (!saw_own || count == 0) return std::nullopt;
    return count - 1;  // the descriptor opendir itself held
}

/// fcntl(F_GETFD) succeeds exactly for open descriptors: ask every number
/// below the soft limit of RLIMIT_NOFILE (a few milliseconds for 65,536).
/// nullopt when the limit is unknown or too large to walk.
inline std::optional<std::size_t> count_fds_by_probing() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > (1u << 20))
        return std::nullopt;
    std::size_t count = 0;
    for (int fd = 0; fd < static_cast<int>(limit.rlim_cur); ++fd) {
        if (::fcntl(fd, F_GETFD) != -1) ++count;
    }
    return count;
}

/// Counts with @p method: nullopt when it does not work here.
inline std::optional<std::size_t> count_open_fds(FdCountMethod method) {
    switch (method) {
    case FdCountMethod::proc: return count_fds_in("/proc/self/fd");
    case FdCountMethod::dev_fd: return count_fds_in("/dev/fd");
    case FdCountMethod::probe: return count_fds_by_probing();
    }
    return std::nullopt;
}

/// Open descriptors of this process, by the first method that works here.
/// When none does, the test fails loudly: a check that counted nothing
/// would pass every test whatever it leaked.
inline std::size_t open_fd_count() {
    settle_kqueue_library();
    for (const auto method : {FdCountMethod::proc, FdCountMethod::dev_fd, FdCountMethod::probe}) {
        if (const auto count = count_open_fds(method)) return *count;
    }
    FAIL("cannot count this process's open descriptors (no /proc/self/fd, no complete /dev/fd, no usable "
         "RLIMIT_NOFILE): the descriptor-leak check would be blind");
    return 0;  // not reached: FAIL throws
}
#endif

/// Put one at the top of a test case: its destructor checks the count.
class FdLeakCheck {
public:
    FdLeakCheck() : before_(open_fd_count()) {}
    FdLeakCheck(const FdLeakCheck&) = delete;
    FdLeakCheck& operator=(const FdLeakCheck&) = delete;
    ~FdLeakCheck() {
        std::size_t after = open_fd_count();
#if defined(_WIN32)
        // Wine closes the handles of a thread that just ended a moment after
        // the join returned: give a surplus up to a second to go away. A real
        // leak stays and still fails.
        for (int wait = 0; wait < 20 && after > before_; ++wait) {
            ::Sleep(50);
            after = open_fd_count();
        }
#endif
        CHECK_MESSAGE(after == before_, "file descriptors leaked: ", before_, " open before the test, ", after,
                      " after");
    }

private:
    std::size_t before_;
};

}  // namespace metalio::test
