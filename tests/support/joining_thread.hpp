// metalio::test::JoiningThread: a std::thread that joins when it goes out of
// scope, the part of std::jthread the tests use.
//
// Why not std::jthread: the libc++ of Apple's Xcode 15 and of Zig 0.11
// (LLVM 16) declares it only behind -fexperimental-library, so a test that
// names it does not compile for macOS (tests/tools/macos-check.sh).
#pragma once

#include <thread>
#include <utility>

namespace metalio::test {

/// Runs a callable on a new thread; the destructor waits for it. Move-only,
/// so that a std::vector can hold several.
class JoiningThread {
public:
    template <typename F, typename... Args>
    explicit JoiningThread(F&& f, Args&&... args) : thread_(std::forward<F>(f), std::forward<Args>(args)...) {}
    JoiningThread(JoiningThread&&) noexcept = default;
    JoiningThread& operator=(JoiningThread&& other) noexcept {
        join();
        thread_ = std::move(other.thread_);
        return *this;
    }
    ~JoiningThread() { join(); }

private:
    void join() {
        if (thread_.joinable()) thread_.join();
    }
    std::thread thread_;
};

}  // namespace metalio::test
