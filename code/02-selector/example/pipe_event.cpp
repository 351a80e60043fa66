// Stage 02 example: the selector on its own. A pipe's read end is registered
// for READABLE; writing to the other end produces one event.
//
// Run it with `make run CH=02`.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "metalio/events.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/sys/selector.hpp"
#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/pipe.hpp"

using namespace std::chrono_literals;
using metalio::Events;
using metalio::Interest;
using metalio::Token;

int main() {
    // [setup]
    auto selector = metalio::sys::Selector::create();
    if (!selector) {
        std::printf("creating the selector failed: %s\n", selector.error().message().c_str());
        return 1;
    }
    int ends[2];
    if (auto made = metalio::sys::portable::pipe(ends); !made) {  // pipe2, or pipe + fcntl (chapter 01)
        std::printf("%s failed: %s\n", metalio::sys::portable::pipe_call(), made.error().message().c_str());
        return 1;
    }
    const metalio::sys::OwnedFd reader(ends[0]);
    const metalio::sys::OwnedFd writer(ends[1]);

    constexpr Token kPipe{7};
    if (auto registered = selector->register_(reader.get(), kPipe, Interest::READABLE); !registered) {
        std::printf("register failed: %s\n", registered.error().message().c_str());
        return 1;
    }
    // [setup]

    // [select]
    Events events = Events::with_capacity(16);
    (void)selector->select(events, 0ms);  // nothing written yet
    std::printf("before writing: %zu event(s)\n", events.size());

    (void)!::write(writer.get(), "hello", 5);
    if (auto polled = selector->select(events, 1s); !polled) {
        std::printf("select failed: %s\n", polled.error().message().c_str());
        return 1;
    }
    std::printf("after writing:  %zu event(s)\n", events.size());
    for (const metalio::Event event : events) {
        std::printf("  %s\n", event.to_string().c_str());  // the token and every flag that is set
    }
    // [select]
    return 0;
}
