// Tests of exercise 02 (interests_to_poll, is_read_closed for poll(2)).
// The messages say what is wrong and where to look, not which bits to write:
// the answer is the reader's, from the chapter's rules and `man 2 poll`.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "exercise.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio_test.hpp"

using metalio::Interest;
using metalio::exercise::interests_to_poll;
using metalio::exercise::is_read_closed;

namespace {

constexpr std::uint32_t kPollBits = POLLIN | POLLPRI | POLLOUT | POLLRDHUP;

std::string hex(std::uint32_t bits) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%x", bits);
    return text;
}

}  // namespace

TEST_CASE("only poll(2) bits: poll has no edge-triggered mode") {
    for (const Interest interest : {Interest::READABLE, Interest::WRITABLE, Interest::PRIORITY}) {
        const std::uint32_t bits = interests_to_poll(interest);
        CHECK_MESSAGE((bits & ~kPollBits) == 0,
                      "interests_to_poll returned " << hex(bits) << ", which has bits poll(2) does not know "
                      "(an epoll-only flag such as EPOLLET?): the poll selector emulates edge triggering itself");
    }
}

TEST_CASE("each interest asks poll(2) for exactly its own bits") {
    const std::uint32_t readable = interests_to_poll(Interest::READABLE);
    CHECK_MESSAGE((readable & POLLIN) != 0, "READABLE must ask for data to read");
    CHECK_MESSAGE((readable & ~POLLIN) != 0,
                  "READABLE asks only for data: it must also ask for the peer's half-close (see man 2 poll)");
    CHECK_MESSAGE((readable & (POLLOUT | POLLPRI)) == 0, "READABLE asks for writability or priority data too");
    const std::uint32_t writable = interests_to_poll(Interest::WRITABLE);
    CHECK_MESSAGE(writable != 0, "WRITABLE asks for nothing");
    CHECK_MESSAGE((writable & (POLLIN | POLLPRI | POLLRDHUP)) == 0, "WRITABLE asks for reading bits: " << hex(writable));
    const std::uint32_t priority = interests_to_poll(Interest::PRIORITY);
    CHECK_MESSAGE(priority != 0, "PRIORITY asks for nothing");
    CHECK_MESSAGE((priority & (POLLIN | POLLOUT | POLLRDHUP)) == 0,
                  "PRIORITY asks for more than priority data: " << hex(priority));
    CHECK_MESSAGE(interests_to_poll(Interest::READABLE | Interest::WRITABLE) == (readable | writable),
                  "READABLE | WRITABLE should ask for both sets of bits, nothing else");
    CHECK_MESSAGE(writable != priority, "WRITABLE and PRIORITY ask for the same bits");
}

TEST_CASE("asked with your bits, a real poll(2) reports data, then the peer's half-close") {
    const metalio::test::FdLeakCheck no_leak;
    int pair[2];
    REQUIRE(metalio::test::socket_pair(SOCK_STREAM, pair) == 0);
    const metalio::sys::OwnedFd mine(pair[0]), peer(pair[1]);
    pollfd entry{mine.get(), static_cast<short>(interests_to_poll(Interest::READABLE)), 0};

    REQUIRE(::write(peer.get(), "x", 1) == 1);
    REQUIRE(::poll(&entry, 1, 1000) == 1);
    CHECK_MESSAGE((entry.revents & POLLIN) != 0, "the written byte was not reported as readable");
    CHECK_MESSAGE((entry.revents & POLLOUT) == 0, "writability was reported although only READABLE was asked for");
    CHECK_MESSAGE(!is_read_closed(static_cast<std::uint32_t>(entry.revents)),
                  "data alone is not a closed read half (revents " << hex(static_cast<std::uint16_t>(entry.revents))
                                                                   << ")");

    REQUIRE(::shutdown(peer.get(), SHUT_WR) == 0);
    REQUIRE(::poll(&entry, 1, 1000) == 1);
    CHECK_MESSAGE(is_read_closed(static_cast<std::uint32_t>(entry.revents)),
                  "after the peer's shutdown(SHUT_WR) poll(2) reported revents "
                      << hex(static_cast<std::uint16_t>(entry.revents))
                      << " and is_read_closed said no: did READABLE ask for the half-close bit?");
}

TEST_CASE("read-closed: the chapter's rule, in poll(2)'s bits") {
    CHECK_MESSAGE(is_read_closed(POLLHUP), "POLLHUP means the read half is closed");
    CHECK_MESSAGE(!is_read_closed(POLLIN), "plain POLLIN is just readable, not closed");
    CHECK_MESSAGE(!is_read_closed(POLLRDHUP),
                  "the half-close bit alone is not trusted: chapter 02 says when it counts");
    CHECK_MESSAGE(!is_read_closed(POLLOUT), "POLLOUT says nothing about the read half");
}
