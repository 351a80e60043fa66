// Stage 03 example: two unrelated fds, one Registry. stdin and a pipe are
// both registered through posix::SourceFd; whatever arrives on either is
// echoed with the name of the token it came with.
//
// Run it with `make run CH=03`, type a few lines, end with Ctrl-D.
#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <chrono>
#include <cstdio>
#include <thread>

#include "metalio/events.hpp"
#include "metalio/registry.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/posix/source_fd.hpp"
#include "metalio/sys/unix/portable/pipe.hpp"

using namespace std::chrono_literals;
using metalio::Interest;
using metalio::Token;
using metalio::posix::SourceFd;

namespace {

constexpr Token kStdin{0};
constexpr Token kPipe{1};

// Reads until WouldBlock (edge-triggered: the event will not come again
// for bytes we leave behind). Returns false at end-of-file.
bool echo_all(int fd, const char* from) {
    char buffer[512];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            std::printf("[%s] %.*s", from, static_cast<int>(n), buffer);
            if (buffer[n - 1] != '\n') std::printf("\n");
            continue;
        }
        if (n == 0) return false;                       // end of file
        return errno == EAGAIN || errno == EWOULDBLOCK;  // drained; any other error: give up
    }
}

// [nonblocking-stdin]
// stdin's flags belong to its open file description, which the shell that
// started us shares: left non-blocking, the shell's own next read could
// fail with EAGAIN. So O_NONBLOCK is set for the life of this object only
// and the old flags come back on every way out: a return, or a SIGINT /
// SIGTERM (Ctrl-C), whose handler puts them back and then lets the signal
// end the program as it would have.
int saved_stdin_flags = -1;

extern "C" void restore_stdin_and_die(int signal_number) {
    ::fcntl(STDIN_FILENO, F_SETFL, saved_stdin_flags);  // async-signal-safe
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

class NonBlockingStdin {
public:
    NonBlockingStdin() {
        saved_stdin_flags = ::fcntl(STDIN_FILENO, F_GETFL);
        if (saved_stdin_flags == -1) return;  // no stdin at all: nothing to change
        std::signal(SIGINT, restore_stdin_and_die);
        std::signal(SIGTERM, restore_stdin_and_die);
        ::fcntl(STDIN_FILENO, F_SETFL, saved_stdin_flags | O_NONBLOCK);
    }
    ~NonBlockingStdin() {
        if (saved_stdin_flags == -1) return;
        ::fcntl(STDIN_FILENO, F_SETFL, saved_stdin_flags);
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
    }
    NonBlockingStdin(const NonBlockingStdin&) = delete;
    NonBlockingStdin& operator=(const NonBlockingStdin&) = delete;
};
// [nonblocking-stdin]

}  // namespace

int main() {
    auto selector = metalio::sys::Selector::create();
    if (!selector) {
        std::printf("selector: %s\n", selector.error().message().c_str());
        return 1;
    }
    // [registry]
    // The Registry registers; waiting is the selector's job, and a Registry
    // does not hand its selector out (Poll, chapter 05, keeps both). So the
    // example keeps a second handle on the same selector to wait on.
    auto registering = selector->try_clone();
    if (!registering) return 1;
    const metalio::Registry registry(std::move(*registering));

    int ends[2];
    if (!metalio::sys::portable::pipe(ends)) return 1;  // non-blocking, close-on-exec (chapter 01)
    const metalio::sys::OwnedFd reader(ends[0]);
    metalio::sys::OwnedFd writer(ends[1]);
    if (auto done = registry.register_(SourceFd{reader.get()}, kPipe, Interest::READABLE); !done) {
        std::printf("register pipe: %s\n", done.error().message().c_str());
        return 1;
    }

    // stdin must not block us either. A regular file or /dev/null cannot be
    // polled at all (EPERM): say so and go on with the pipe alone.
    // Back to blocking when main returns (see NonBlockingStdin).
    const NonBlockingStdin nonblocking_stdin;
    bool stdin_open = true;
    if (auto done = registry.register_(SourceFd{STDIN_FILENO}, kStdin, Interest::READABLE); !done) {
        std::printf("stdin cannot be polled (%s); showing the pipe only\n", done.error().message().c_str());
        stdin_open = false;
    }
    // [registry]

    // A second thread writes three lines, then closes its end of the pipe.
    std::thread ticker([writer = std::move(writer)] {
        for (int i = 1; i <= 3; ++i) {
            std::this_thread::sleep_for(300ms);
            char line[32];
            const int n = std::snprintf(line, sizeof line, "tick %d\n", i);
            (void)!::write(writer.get(), line, static_cast<size_t>(n));
        }
    });
    std::printf("Type something (Ctrl-D ends); the pipe ticks three times.\n");

    // [loop]
    metalio::Events events = metalio::Events::with_capacity(8);
    bool pipe_open = true;
    while (stdin_open || pipe_open) {
        if (auto polled = selector->select(events, std::nullopt); !polled) {
            if (metalio::io::is_interrupted(polled.error())) continue;
            std::printf("select: %s\n", polled.error().message().c_str());
            break;
        }
        for (const metalio::Event event : events) {
            const bool from_stdin = event.token() == kStdin;
            const int fd = from_stdin ? STDIN_FILENO : reader.get();
            bool& open = from_stdin ? stdin_open : pipe_open;
            open = echo_all(fd, from_stdin ? "stdin" : "pipe");
            if (open) {
                // With the poll(2) selector a raw fd is disarmed after each
                // event; reregister arms it again (with epoll it is a no-op).
                (void)registry.reregister(SourceFd{fd}, event.token(), Interest::READABLE);
            } else {
                std::printf("[%s] closed\n", from_stdin ? "stdin" : "pipe");
                (void)registry.deregister(SourceFd{fd});
            }
        }
    }
    // [loop]
    ticker.join();
    return 0;
}
