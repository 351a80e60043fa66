// Stage 02 on Windows: the AFD flags of each Interest and the questions an
// Event answers from them (the table of chapter 02, as mio has it).
#include "metalio_test.hpp"

#include "metalio/event.hpp"
#include "metalio/sys/selector.hpp"

using metalio::Interest;
using metalio::Token;
namespace afd = metalio::sys::windows::afd;
namespace iocp = metalio::sys::iocp;

namespace {
metalio::Event with(std::uint32_t flags) { return metalio::Event(iocp::Event{flags, 42}); }
}  // namespace

TEST_CASE("iocp: interests map to AFD poll flags as in mio") {
    CHECK(iocp::interests_to_afd(Interest::READABLE) ==
          (afd::kReceive | afd::kDisconnect | afd::kAccept | afd::kAbort | afd::kConnectFail));
    CHECK(iocp::interests_to_afd(Interest::WRITABLE) == (afd::kSend | afd::kAbort | afd::kConnectFail));
    CHECK(iocp::interests_to_afd(Interest::PRIORITY) == afd::kReceiveExpedited);
}

TEST_CASE("iocp: events answer their questions from the flags") {
    CHECK(with(afd::kReceive).token() == Token{42});
    CHECK(with(afd::kReceive).is_readable());
    CHECK(with(afd::kAccept).is_readable());
    CHECK_FALSE(with(afd::kReceive).is_writable());
    CHECK(with(afd::kSend).is_writable());
    CHECK_FALSE(with(afd::kSend).is_readable());
    CHECK(with(afd::kDisconnect).is_read_closed());
    CHECK_FALSE(with(afd::kDisconnect).is_write_closed());
    CHECK(with(afd::kAbort).is_read_closed());
    CHECK(with(afd::kAbort).is_write_closed());
    CHECK(with(afd::kConnectFail).is_error());
    CHECK_FALSE(with(afd::kAbort).is_error());
    CHECK(with(afd::kReceiveExpedited).is_priority());
}
