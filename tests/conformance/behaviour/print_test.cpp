// Behaviour suite, part 5: the types a user can print (issue #7). Token,
// Interest and Event have a text form, as mio's Debug gives them: in a log
// line and in a failed test's message they read as what they mean.
#include <fcntl.h>
#include <unistd.h>

#include <sstream>

#include "behaviour.hpp"
#include "metalio/posix/source_fd.hpp"
#include "metalio/sys/owned_fd.hpp"

#if __cpp_lib_format
#include <format>
#endif

using namespace behaviour;
using metalio::posix::SourceFd;
using metalio::sys::OwnedFd;

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

BEHAVIOUR("an Event prints its token and every flag that is set") {
    Poll poll = make_poll();
    int ends[2];
    REQUIRE_MESSAGE(::pipe2(ends, O_NONBLOCK | O_CLOEXEC) == 0, "pipe2 failed: ", metalio::io::last_os_error());
    const OwnedFd reader(ends[0]);
    OwnedFd writer(ends[1]);
    REQUIRE(poll.registry().register_(SourceFd{reader.get()}, Token{7}, Interest::READABLE));

    REQUIRE(::write(writer.get(), "x", 1) == 1);
    const auto readable = wait_for(poll, Token{7});
    REQUIRE_MESSAGE(readable.has_value(), "no event after writing into the pipe");
    CHECK(readable->to_string() == "Event(Token(7), READABLE)");
    CHECK(streamed(*readable) == readable->to_string());
#if __cpp_lib_format
    CHECK(std::format("{}", *readable) == readable->to_string());
#endif

    // The writer closes: a hang-up, which reads as both halves closed.
    char byte;
    REQUIRE(::read(reader.get(), &byte, 1) == 1);
    REQUIRE(poll.registry().reregister(SourceFd{reader.get()}, Token{8}, Interest::READABLE));
    writer = OwnedFd(-1);
    const auto hangup = wait_for(poll, Token{8});
    REQUIRE_MESSAGE(hangup.has_value(), "no event after the pipe's writer closed");
    const std::string text = hangup->to_string();
    CHECK_MESSAGE(text.starts_with("Event(Token(8), "), text);
    CHECK_MESSAGE(text.find("READ_CLOSED") != std::string::npos, "a hung-up pipe is read-closed: ", text);
    CHECK_MESSAGE(text.find("WRITABLE") == std::string::npos, "a pipe's read end is never writable: ", text);
    REQUIRE(poll.registry().deregister(SourceFd{reader.get()}));
}
