// Tests of exercise 02 (interests_to_epoll, is_read_closed).
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exercise.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio_test.hpp"

using metalio::Interest;
using metalio::exercise::interests_to_epoll;
using metalio::exercise::is_read_closed;

TEST_CASE("every registration is edge-triggered") {
    CHECK_MESSAGE((interests_to_epoll(Interest::READABLE) & EPOLLET) != 0,
                  "READABLE without EPOLLET is level-triggered: epoll would repeat the event until the data is read");
    CHECK_MESSAGE((interests_to_epoll(Interest::WRITABLE) & EPOLLET) != 0, "WRITABLE is missing EPOLLET");
    CHECK_MESSAGE((interests_to_epoll(Interest::PRIORITY) & EPOLLET) != 0, "PRIORITY is missing EPOLLET");
}

TEST_CASE("each interest asks for exactly its own flags") {
    CHECK_MESSAGE(interests_to_epoll(Interest::READABLE) == (EPOLLET | EPOLLIN | EPOLLRDHUP),
                  "READABLE should be EPOLLET | EPOLLIN | EPOLLRDHUP");
    CHECK_MESSAGE(interests_to_epoll(Interest::WRITABLE) == (EPOLLET | EPOLLOUT), "WRITABLE should be EPOLLET | EPOLLOUT");
    CHECK_MESSAGE(interests_to_epoll(Interest::PRIORITY) == (EPOLLET | EPOLLPRI), "PRIORITY should be EPOLLET | EPOLLPRI");
    CHECK_MESSAGE(interests_to_epoll(Interest::READABLE | Interest::WRITABLE) ==
                      (EPOLLET | EPOLLIN | EPOLLRDHUP | EPOLLOUT),
                  "READABLE | WRITABLE should combine both sets of flags");
}

TEST_CASE("registered with your flags, new data is reported once, not on every wait") {
    const metalio::test::FdLeakCheck no_leak;
    int pair[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) == 0);
    const metalio::sys::OwnedFd mine(pair[0]), peer(pair[1]);
    const metalio::sys::OwnedFd ep(::epoll_create1(EPOLL_CLOEXEC));
    REQUIRE(ep.get() >= 0);

    epoll_event event{};
    event.events = interests_to_epoll(Interest::READABLE);
    REQUIRE(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, mine.get(), &event) == 0);
    REQUIRE(::write(peer.get(), "x", 1) == 1);
    epoll_event out[4];
    CHECK_MESSAGE(::epoll_wait(ep.get(), out, 4, 1000) == 1, "the written byte was not reported as readable");
    CHECK_MESSAGE(::epoll_wait(ep.get(), out, 4, 0) == 0,
                  "the same readiness was reported twice: the registration is level-triggered");
}

TEST_CASE("read-closed: a hang-up, or readable with the peer's half-close") {
    CHECK_MESSAGE(is_read_closed(EPOLLHUP), "EPOLLHUP means the read half is closed");
    CHECK_MESSAGE(is_read_closed(EPOLLIN | EPOLLRDHUP), "EPOLLIN together with EPOLLRDHUP means read-closed");
    CHECK_MESSAGE(!is_read_closed(EPOLLIN), "plain EPOLLIN is just readable, not closed");
    CHECK_MESSAGE(!is_read_closed(EPOLLRDHUP), "EPOLLRDHUP alone is not trusted: it counts only with EPOLLIN");
    CHECK_MESSAGE(!is_read_closed(EPOLLOUT), "EPOLLOUT says nothing about the read half");
}
