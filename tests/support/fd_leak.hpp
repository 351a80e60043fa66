// FdLeakCheck: fails the current test if it ends with more (or fewer) open
// file descriptors (on Windows: kernel handles, sockets included) than it
// started with.
#pragma once

#if defined(_WIN32)
#include <winsock2.h>
#include <windows.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "latch.hpp"
#else
#include <dirent.h>
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
/// Makes the handles that waiting at a std::latch can make, so that a test
/// which waits at one does not seem to leak them. GCC 12's libstdc++ for
/// mingw-w64 parks a thread that blocks in std::latch, std::barrier, a
/// semaphore or std::atomic<T>::wait on one of a static table of condition
/// variables (16, chosen by the address waited on), each with a mutex.
/// winpthreads makes a condition variable's two semaphores the first time a
/// thread blocks on it, and a mutex's event the first time two threads
/// contend for it, and keeps both. The warm-up's four threads block at once
/// on each of eight 8-byte counters 8 bytes apart, which reach every entry
/// an 8-byte counter (a std::latch's) can use; they are woken again and again
/// until all have passed, because one wake-up can be lost (latch.hpp).
class AtomicWaitWarmUp {
public:
    /// Run by each of @p waiters threads.
    void wait_at_each() {
        for (int i = 0; i < kCounters; ++i) {
            arrived_[i].fetch_add(1);
            counters_[i].wait(0);
            passed_[i].fetch_add(1);
        }
    }
    /// Run by one other thread.
    void release_each(int waiters) {
        for (int i = 0; i < kCounters; ++i) {
            while (arrived_[i].load() < waiters) ::Sleep(1);
            ::Sleep(5);  // they block within microseconds; one that has not only leaves this entry cold
            counters_[i].store(1);
            while (passed_[i].load() < waiters) {
                counters_[i].notify_all();
                ::Sleep(1);
            }
        }
    }

private:
    static constexpr int kCounters = 8;
    std::atomic<std::uint64_t> counters_[kCounters] = {};
    std::atomic<int> arrived_[kCounters] = {};
    std::atomic<int> passed_[kCounters] = {};
};

/// Open handles of this process (sockets, completion ports, AFD handles,
/// events, ...). GetProcessHandleCount() answers 0 under Wine, so the
/// handle table is probed: handle values are multiples of 4 handed out
/// lowest-free-first, and GetHandleInformation() succeeds only for an open
/// one. The first 2048 slots cover every test (a probe costs about 40 µs
/// under Wine, so one count is well under 0.1 s).
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
        static AtomicWaitWarmUp atomic_waits;
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
                atomic_waits.wait_at_each();
            });
        }
        atomic_waits.release_each(4);
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
        if (::GetHandleInformation(reinterpret_cast<HANDLE>(value), &flags)) ++count;
    }
    return count;
}
#else
/// Open descriptors of this process, from /proc/self/fd.
inline std::size_t open_fd_count() {
    settle_kqueue_library();
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
