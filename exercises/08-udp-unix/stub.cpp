// Exercise 08: your file. The task is in exercise.hpp; run
// `make exercise EX=08` to test it, `make hint EX=08` if stuck.
#include "exercise.hpp"
#include "metalio/events.hpp"
#include "metalio/poll.hpp"

namespace metalio::exercise {

io::Result<std::string> ask(const net::UdpSocket& socket, std::uint32_t id, std::string_view question, Retry retry) {
    // TODO: check retry; make a Poll; register the socket for READABLE.
    // TODO: build the request (id in network byte order, then the question).
    // TODO: for each attempt: send; until its interval is over, receive
    //       (what is queued? when do you stop?) and poll for the rest of it.
    // TODO: deregister the socket before every return.
    (void)socket;
    (void)id;
    (void)question;
    (void)retry;
    return std::unexpected(std::make_error_code(std::errc::function_not_supported));
}

}  // namespace metalio::exercise
