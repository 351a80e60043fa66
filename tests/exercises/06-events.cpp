// Tests of exercise 06 (drain).
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "exercise.hpp"
#include "metalio/sys/owned_fd.hpp"
#include "metalio_test.hpp"

using metalio::exercise::drain;
using metalio::net::TcpStream;
using metalio::sys::OwnedFd;

namespace {

struct Pair {
    TcpStream mine;
    OwnedFd peer;
};

Pair make_pair() {
    int fds[2];
    REQUIRE(metalio::test::socket_pair(SOCK_STREAM, fds) == 0);
    return {TcpStream::from_raw_fd(fds[0]), OwnedFd(fds[1])};
}

void send_all(int fd, const std::string& data) {
    REQUIRE(::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()));
}

}  // namespace

TEST_CASE("everything that is there is read, not just one buffer's worth") {
    Pair pair = make_pair();
    const std::string sent(100000, 'x');
    send_all(pair.peer.get(), sent);
    std::string received;
    const auto closed = drain(pair.mine, received);
    REQUIRE_MESSAGE(closed.has_value(), "drain() returned an error: ", metalio::test::why(closed));
    CHECK_MESSAGE(received.size() == sent.size(), "drain() read ", received.size(), " of ", sent.size(),
                  " bytes: keep reading until the stream says WouldBlock");
    CHECK_MESSAGE(!*closed, "the peer is still open, but drain() said it closed");
}

TEST_CASE("nothing to read is not an error: WouldBlock ends the loop") {
    Pair pair = make_pair();
    std::string received;
    const auto closed = drain(pair.mine, received);
    REQUIRE_MESSAGE(closed.has_value(), "WouldBlock must end the loop quietly, not come back as an error: ",
                    metalio::test::why(closed));
    CHECK(received.empty());
    CHECK_FALSE(*closed);
}

TEST_CASE("a read of 0 bytes means the peer closed") {
    Pair pair = make_pair();
    send_all(pair.peer.get(), "bye");
    pair.peer = OwnedFd(-1);
    std::string received;
    const auto closed = drain(pair.mine, received);
    REQUIRE_MESSAGE(closed.has_value(), "drain() returned an error: ", metalio::test::why(closed));
    CHECK_MESSAGE(received == "bye", "the last bytes before the close were lost");
    CHECK_MESSAGE(*closed, "after a read of 0 bytes drain() must return true");
}

TEST_CASE("a read interrupted by a signal is tried again") {
    Pair pair = make_pair();
    send_all(pair.peer.get(), "still here");
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_next("read", EINTR);
    std::string received;
    const auto closed = drain(pair.mine, received);
    metalio::sys::fault::reset();
    REQUIRE_MESSAGE(closed.has_value(), "EINTR is not a failure: read again. drain() returned: ",
                    metalio::test::why(closed));
    CHECK_MESSAGE(received == "still here", "after the interrupted read, the data must still be read");
}

TEST_CASE("any other error is returned") {
    Pair pair = make_pair();
    send_all(pair.peer.get(), "data");
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_next("read", ECONNRESET);
    std::string received;
    const auto closed = drain(pair.mine, received);
    metalio::sys::fault::reset();
    REQUIRE_MESSAGE(!closed.has_value(), "a connection reset must come back as an error");
    CHECK(closed.error() == std::errc::connection_reset);
}
