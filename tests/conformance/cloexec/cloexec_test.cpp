// close-on-exec conformance (issue #4): every fd metalio opens is
// close-on-exec from birth, so a program started later (posix_spawn, or
// fork + exec) inherits none of them: not the listener, not an accepted or a
// connected stream, not the selector (epoll fd, or the poll(2) selector's
// eventfd), not the Waker's eventfd, not the selector copy a Waker keeps,
// not the UDP, Unix-socket and pipe descriptors of stage 08.
//
// The child (list_fds) prints what each of its descriptors points to
// ("socket:[12345]", "anon_inode:[eventpoll]", ...). A descriptor of the
// parent is "inherited" when the child has one pointing to the same thing.
// A control socket opened WITHOUT SOCK_CLOEXEC must show up in the child:
// that proves the check can see an inherited descriptor at all.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "metalio/net/tcp_listener.hpp"
#include "metalio/net/tcp_stream.hpp"
#include "metalio/net/udp_socket.hpp"
#include "metalio/poll.hpp"
#include "metalio/posix/pipe.hpp"
#include "metalio/posix/unix_datagram.hpp"
#include "metalio/posix/unix_listener.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio/waker.hpp"
#include "metalio_test.hpp"

extern char** environ;

using metalio::Interest;
using metalio::Poll;
using metalio::Token;
using metalio::Waker;
using metalio::net::SocketAddr;
using metalio::net::TcpListener;
using metalio::net::TcpStream;
using metalio::test::why;

namespace {

/// What /proc/self/fd/<fd> points to, e.g. "socket:[12345]".
std::string target_of(int fd) {
    char target[PATH_MAX] = {};
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    const ssize_t length = ::readlink(link.c_str(), target, sizeof target - 1);
    return length < 0 ? std::string() : std::string(target);
}

std::set<int> open_fds() {
    std::set<int> fds;
    DIR* dir = ::opendir("/proc/self/fd");
    REQUIRE(dir != nullptr);
    const int own = ::dirfd(dir);
    while (const dirent* entry = ::readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        const int fd = std::atoi(entry->d_name);
        if (fd != own) fds.insert(fd);
    }
    ::closedir(dir);
    return fds;
}

bool wait_fd(int fd, short events) {
    pollfd entry{fd, events, 0};
    return ::poll(&entry, 1, 5000) == 1;
}

/// The sources of stage 08: UDP, Unix domain sockets, pipes.
struct MoreSources {
    metalio::net::UdpSocket udp;
    metalio::posix::UnixListener unix_listener;
    metalio::posix::UnixStream unix_connected;
    metalio::posix::UnixStream unix_accepted;
    std::pair<metalio::posix::UnixStream, metalio::posix::UnixStream> stream_pair;
    std::pair<metalio::posix::UnixDatagram, metalio::posix::UnixDatagram> datagram_pair;
    metalio::posix::UnixDatagram unbound;
    std::pair<metalio::posix::Sender, metalio::posix::Receiver> pipe;
};

MoreSources open_more() {
    using namespace metalio::posix;
    auto udp = metalio::net::UdpSocket::bind(metalio::net::SocketAddr::v4({127, 0, 0, 1}, 0));
    REQUIRE_MESSAGE(udp.has_value(), "UdpSocket::bind failed: ", why(udp));
    const auto where = metalio::posix::SocketAddr::from_abstract_name("metalio-cloexec-" + std::to_string(::getpid()));
    REQUIRE(where.has_value());
    auto listener = UnixListener::bind_addr(*where);
    REQUIRE_MESSAGE(listener.has_value(), "UnixListener::bind_addr failed: ", why(listener));
    auto connected = UnixStream::connect_addr(*where);
    REQUIRE_MESSAGE(connected.has_value(), "UnixStream::connect_addr failed: ", why(connected));
    auto accepted = listener->accept();
    REQUIRE_MESSAGE(accepted.has_value(), "UnixListener::accept failed: ", why(accepted));
    auto streams = UnixStream::pair();
    auto datagrams = UnixDatagram::pair();
    auto unbound = UnixDatagram::unbound();
    auto pipe = metalio::posix::pipe();
    REQUIRE((streams.has_value() && datagrams.has_value() && unbound.has_value() && pipe.has_value()));
    return MoreSources{std::move(*udp),       std::move(*listener),  std::move(*connected),
                       std::move(accepted->first), std::move(*streams), std::move(*datagrams),
                       std::move(*unbound),   std::move(*pipe)};
}

/// Everything metalio can open, alive while the child is started.
struct Library {
    Poll poll;
    Waker waker;
    TcpListener listener;
    TcpStream connected;
    TcpStream accepted;
    MoreSources more;
};

Library open_everything() {
    auto poll = Poll::create();
    REQUIRE_MESSAGE(poll.has_value(), "Poll::create failed: ", why(poll));
    auto waker = Waker::create(poll->registry(), Token{9});
    REQUIRE_MESSAGE(waker.has_value(), "Waker::create failed: ", why(waker));
    auto listener = TcpListener::bind(SocketAddr::v4({127, 0, 0, 1}, 0));
    REQUIRE_MESSAGE(listener.has_value(), "bind failed: ", why(listener));
    const auto address = listener->local_addr();
    REQUIRE(address.has_value());
    auto connected = TcpStream::connect(*address);
    REQUIRE_MESSAGE(connected.has_value(), "connect failed: ", why(connected));
    REQUIRE_MESSAGE(wait_fd(connected->as_raw_fd(), POLLOUT), "the connect did not complete within 5 s");
    REQUIRE_MESSAGE(wait_fd(listener->as_raw_fd(), POLLIN), "no connection arrived within 5 s");
    auto accepted = listener->accept();
    REQUIRE_MESSAGE(accepted.has_value(), "accept failed: ", why(accepted));
    // Registered too, as in a real program (the poll(2) selector then holds
    // their numbers in its table).
    REQUIRE(poll->registry().register_(*listener, Token{1}, Interest::READABLE));
    REQUIRE(poll->registry().register_(*connected, Token{2}, Interest::READABLE));
    REQUIRE(poll->registry().register_(accepted->first, Token{3}, Interest::READABLE));
    return Library{std::move(*poll), std::move(*waker), std::move(*listener), std::move(*connected),
                   std::move(accepted->first), open_more()};
}

/// The descriptors that appeared since @p before: what each points to, and
/// which object it belongs to. (Several may point to the same thing: all
/// eventfds are "anon_inode:[eventfd]", a dup points where its original does.)
std::vector<std::pair<std::string, std::string>> describe_new_fds(const std::set<int>& before, const Library& library) {
    std::map<int, std::string> known = {
        {library.waker.as_raw_fd(), "the Waker's eventfd"},
        {library.listener.as_raw_fd(), "the TcpListener"},
        {library.connected.as_raw_fd(), "the connected TcpStream"},
        {library.accepted.as_raw_fd(), "the accepted TcpStream"},
        {library.more.udp.as_raw_fd(), "the UdpSocket"},
        {library.more.unix_listener.as_raw_fd(), "the UnixListener"},
        {library.more.unix_connected.as_raw_fd(), "the connected UnixStream"},
        {library.more.unix_accepted.as_raw_fd(), "the accepted UnixStream"},
        {library.more.stream_pair.first.as_raw_fd(), "a UnixStream::pair end"},
        {library.more.stream_pair.second.as_raw_fd(), "a UnixStream::pair end"},
        {library.more.datagram_pair.first.as_raw_fd(), "a UnixDatagram::pair end"},
        {library.more.datagram_pair.second.as_raw_fd(), "a UnixDatagram::pair end"},
        {library.more.unbound.as_raw_fd(), "the unbound UnixDatagram"},
        {library.more.pipe.first.as_raw_fd(), "the pipe's Sender"},
        {library.more.pipe.second.as_raw_fd(), "the pipe's Receiver"},
    };
    // The poll(2) selector's wake-up eventfd has no accessor: it is one of
    // the "internal" descriptors below.
#if !METALIO_SELECTOR_POLL
    known.emplace(library.poll.as_raw_fd(), METALIO_SELECTOR_KQUEUE ? "the Poll's kqueue fd" : "the Poll's epoll fd");
#endif
    std::vector<std::pair<std::string, std::string>> targets;
    for (const int fd : open_fds()) {
        if (before.contains(fd)) continue;
        const auto name = known.find(fd);
        const std::string what = name != known.end() ? name->second
                                                     : "a descriptor metalio opened internally (e.g. the "
                                                       "selector copy a Waker keeps)";
        targets.emplace_back(target_of(fd), what + " (fd " + std::to_string(fd) + ")");
    }
    return targets;
}

/// The targets of the child's descriptors, from its output.
std::set<std::string> parse_child_output(const std::string& output) {
    std::set<std::string> targets;
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        const auto space = line.find(' ');
        if (space != std::string::npos) targets.insert(line.substr(space + 1));
    }
    return targets;
}

std::string read_all(int fd) {
    std::string output;
    char buffer[4096];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got > 0) {
            output.append(buffer, static_cast<std::size_t>(got));
        } else if (got == 0 || errno != EINTR) {
            return output;
        }
    }
}

void wait_child(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    CHECK_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0), "the child list_fds did not run cleanly");
}

enum class Start { posix_spawn, fork_exec };

/// Starts list_fds with its stdout on a pipe and returns what it printed.
std::string run_child(Start how) {
    int out[2];
    REQUIRE(metalio::test::pipe(out, false) == 0);
    metalio::sys::OwnedFd read_end(out[0]);
    metalio::sys::OwnedFd write_end(out[1]);
    char program[] = METALIO_LIST_FDS;
    char* argv[] = {program, nullptr};
    pid_t pid = -1;
    if (how == Start::posix_spawn) {
        posix_spawn_file_actions_t actions;
        REQUIRE(::posix_spawn_file_actions_init(&actions) == 0);
        // dup2 onto 1 clears close-on-exec for the child's stdout only.
        REQUIRE(::posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO) == 0);
        const int spawned = ::posix_spawn(&pid, program, &actions, nullptr, argv, environ);
        ::posix_spawn_file_actions_destroy(&actions);
        REQUIRE_MESSAGE(spawned == 0, "posix_spawn failed: ", std::strerror(spawned));
    } else {
        pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            // In the child: only async-signal-safe calls until exec.
            if (::dup2(write_end.get(), STDOUT_FILENO) < 0) ::_exit(126);
            ::execve(program, argv, environ);
            ::_exit(127);
        }
    }
    write_end = metalio::sys::OwnedFd(-1);  // the child holds the only write end now
    const std::string output = read_all(read_end.get());
    wait_child(pid);
    return output;
}

void check_nothing_inherited(Start how) {
    const metalio::test::FdLeakCheck no_leak;
    const std::set<int> before = open_fds();
    const Library library = open_everything();
    const auto library_targets = describe_new_fds(before, library);
    REQUIRE_MESSAGE(library_targets.size() >= 5, "expected at least five descriptors opened by metalio, found ",
                    library_targets.size());

    // The control: an ordinary socket without SOCK_CLOEXEC is inherited.
    const metalio::sys::OwnedFd control(::socket(AF_INET, SOCK_STREAM, 0));
    REQUIRE(control.get() >= 0);
    const std::string control_target = target_of(control.get());

    const std::string output = run_child(how);
    const std::set<std::string> child = parse_child_output(output);
    INFO("the child's descriptors:\n", output);
    REQUIRE_MESSAGE(child.contains(control_target),
                    "the control socket (opened without SOCK_CLOEXEC) should be inherited by the child; if it is "
                    "not, this test cannot see inherited descriptors at all");
    for (const auto& [target, what] : library_targets) {
        CHECK_MESSAGE(!child.contains(target), what, " -> ", target,
                      " was inherited by the child: it was not close-on-exec (or another descriptor of the "
                      "same kind was: all epoll fds, and all eventfds, look alike in /proc)");
    }
}

}  // namespace

TEST_CASE("a program started with posix_spawn inherits none of metalio's descriptors") {
    check_nothing_inherited(Start::posix_spawn);
}

TEST_CASE("a program started with fork and exec inherits none of metalio's descriptors") {
    check_nothing_inherited(Start::fork_exec);
}
