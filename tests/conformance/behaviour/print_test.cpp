// Behaviour suite, part 5: the types a user can print (issue #7). Token,
// Interest and Event have a text form, as mio's Debug gives them: in a log
// line and in a failed test's message they read as what they mean.
#include <sstream>

#include "behaviour.hpp"

#if __cpp_lib_format
#include <format>
#endif

using namespace behaviour;

namespace {

template <class T>
std::string streamed(const T& value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

}  // namespace

BEHAVIOUR("Token and Interest print as mio shows them: Token(3), READABLE | WRITABLE") {
    CHECK(Token{3}.to_string() == "Token(3)");
    CHECK(streamed(Token{42}) == "Token(42)");
    CHECK(Interest::READABLE.to_string() == "READABLE");
    CHECK(Interest::WRITABLE.to_string() == "WRITABLE");
    CHECK((Interest::READABLE | Interest::WRITABLE).to_string() == "READABLE | WRITABLE");
    CHECK((Interest::PRIORITY | Interest::READABLE).to_string() == "READABLE | PRIORITY");
    CHECK(streamed(Interest::READABLE | Interest::WRITABLE | Interest::PRIORITY) ==
          "READABLE | WRITABLE | PRIORITY");
#if __cpp_lib_format
    CHECK(std::format("{} {}", Token{3}, Interest::WRITABLE) == "Token(3) WRITABLE");
#endif
}

// With a TCP connection, so that it runs on every selector (the AFD driver
// of the Windows one polls sockets only).
BEHAVIOUR("an Event prints its token and every flag that is set") {
    Poll poll = make_poll();
    Pair pair = connected_pair();
    REQUIRE(poll.registry().register_(pair.server, Token{7}, Interest::READABLE));

    REQUIRE(pair.client.write(bytes("x")) == 1u);
    const auto readable = wait_for(poll, Token{7});
    REQUIRE_MESSAGE(readable.has_value(), "no event after the peer wrote a byte");
    CHECK(readable->to_string() == "Event(Token(7), READABLE)");
    CHECK(streamed(*readable) == readable->to_string());
#if __cpp_lib_format
    CHECK(std::format("{}", *readable) == readable->to_string());
#endif

    // The peer closes: end-of-file, which reads as read-closed.
    REQUIRE(drain(pair.server).data == "x");
    REQUIRE(poll.registry().reregister(pair.server, Token{8}, Interest::READABLE));
    { const TcpStream closing = std::move(pair.client); }
    const auto closed = wait_for(poll, Token{8});
    REQUIRE_MESSAGE(closed.has_value(), "no event after the peer closed");
    const std::string text = closed->to_string();
    CHECK_MESSAGE(text.starts_with("Event(Token(8), "), text);
    CHECK_MESSAGE(text.find("READ_CLOSED") != std::string::npos, "a stream whose peer closed is read-closed: ", text);
    CHECK_MESSAGE(text.find("WRITABLE") == std::string::npos, "registered READABLE only, yet printed WRITABLE: ", text);
    REQUIRE(poll.registry().deregister(pair.server));
}
