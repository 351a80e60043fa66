// Behaviour suite, part 7: what the public API does not hand out (issue #7).
// Only Poll waits, so nothing else reaches the selector (mio keeps its
// selector accessor crate-private). And Poll's raw fd exists only where it
// means what mio's does: the epoll (or kqueue) instance, which another event
// loop can watch. The poll(2) selector has no kernel object to give out, and
// neither has the IOCP one (mio's Windows Poll offers no raw handle).
#if METALIO_SELECTOR_EPOLL
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <climits>
#include <string>

#include "metalio/posix/source_fd.hpp"
#include "metalio/sys/owned_fd.hpp"
#endif

#include "behaviour.hpp"

using namespace behaviour;

namespace {

template <class R>
concept ReachesSelector = requires(const R& registry) { registry.selector(); };

template <class P>
concept HasRawFd = requires(const P& poll) { poll.as_raw_fd(); };

#if METALIO_SELECTOR_EPOLL
// What /proc/self/fd/N points to ("anon_inode:[eventpoll]" for an epoll fd).
std::string target_of(int fd) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    char target[PATH_MAX];
    const ssize_t length = ::readlink(path, target, sizeof target - 1);
    REQUIRE_MESSAGE(length > 0, "readlink(", path, ") failed: ", metalio::io::last_os_error());
    return std::string(target, static_cast<std::size_t>(length));
}
#endif

}  // namespace

// Compile-time: a `const Registry&` cannot be used to wait.
static_assert(!ReachesSelector<metalio::Registry>,
              "Registry::selector() must not be public: anyone with a const Registry& could select() and wait");

#if METALIO_SELECTOR_POLL
// The selector's only fd is its internal wake-up eventfd, no readiness fd.
static_assert(!HasRawFd<Poll>, "under poll(2), Poll::as_raw_fd would hand out the internal wake-up eventfd");
#elif METALIO_SELECTOR_IOCP
// A completion port is not an fd, and another loop cannot wait on it for
// readiness: mio's Windows Poll implements no AsRawHandle.
static_assert(!HasRawFd<Poll>, "on IOCP there is no fd to hand out, as in mio's Windows Poll");
#else
static_assert(HasRawFd<Poll>, "the epoll and kqueue builds' Poll offers its epoll or kqueue fd, as mio's AsRawFd for Poll does");
#endif

#if METALIO_SELECTOR_EPOLL

BEHAVIOUR("Poll::as_raw_fd is the epoll instance, and it is readable while an event is pending") {
    Poll poll = make_poll();
    const std::string target = target_of(poll.as_raw_fd());
    CHECK_MESSAGE(target == "anon_inode:[eventpoll]", "Poll::as_raw_fd is not an epoll instance but ", target);
    // Another loop can watch it: readable once a registered source is ready.
    int ends[2];
    REQUIRE(metalio::test::pipe(ends) == 0);
    const metalio::sys::OwnedFd reader(ends[0]);
    const metalio::sys::OwnedFd writer(ends[1]);
    REQUIRE(poll.registry().register_(metalio::posix::SourceFd{reader.get()}, Token{1}, Interest::READABLE));
    REQUIRE(::write(writer.get(), "x", 1) == 1);
    pollfd outer{poll.as_raw_fd(), POLLIN, 0};
    CHECK_MESSAGE(::poll(&outer, 1, 5000) == 1, "the epoll fd did not become readable with an event pending");
    REQUIRE(poll.registry().deregister(metalio::posix::SourceFd{reader.get()}));
}
#endif
