// Known-wrong answer for exercise 08: takes the first datagram long enough
// to hold an id as the answer, without comparing the id ("the socket is
// connected, so it comes from the server"). A late answer to an earlier
// request, or a second copy of one, comes from the server too.
#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <vector>

#include "exercise.hpp"
#include "metalio/events.hpp"
#include "metalio/poll.hpp"

namespace metalio::exercise {
namespace {

using Clock = std::chrono::steady_clock;
using IdBytes = std::array<std::byte, 4>;

constexpr Token kAnswers{8};
// The largest UDP payload over IPv4: a receive into this many bytes is
// never cut, so a whole answer always fits.
constexpr std::size_t kLargestPayload = 65'507;

IdBytes network_order(std::uint32_t id) {
    return {std::byte(id >> 24), std::byte(id >> 16), std::byte(id >> 8), std::byte(id)};
}

// Receives until WouldBlock, the only sign that nothing more is queued: an
// edge stands for arrivals, not for datagrams. Returns the answer, an error,
// or nothing (no answer yet; a datagram arriving later makes a new edge).
std::optional<io::Result<std::string>> take_answer(const net::UdpSocket& socket, const IdBytes& id,
                                                   std::vector<std::byte>& buffer) {
    for (;;) {
        const auto datagram = socket.recv(buffer);
        if (!datagram) {
            if (io::is_would_block(datagram.error())) return std::nullopt;
            if (io::is_interrupted(datagram.error())) continue;
            // ECONNREFUSED lands here: the ICMP "port unreachable" is kept
            // on the connected socket and handed out by the next receive.
            return std::unexpected(datagram.error());
        }
        const std::span<const std::byte> got(buffer.data(), *datagram);
        // Too short for an id (an empty datagram too), or someone else's:
        // skip it and look at the next one.
        if (got.size() < id.size()) continue;  // wrong: whose answer is it?
        const auto answer = got.subspan(id.size());
        return std::string(reinterpret_cast<const char*>(answer.data()), answer.size());
    }
}

io::Result<std::string> ask_registered(const net::UdpSocket& socket, Poll& poll, std::uint32_t id,
                                       std::string_view question, Retry retry) {
    const IdBytes id_bytes = network_order(id);
    std::vector<std::byte> request(id_bytes.begin(), id_bytes.end());
    for (const char c : question) request.push_back(static_cast<std::byte>(c));
    std::vector<std::byte> buffer(kLargestPayload);
    Events events = Events::with_capacity(4);

    for (int attempt = 0; attempt < retry.attempts; ++attempt) {
        if (auto sent = socket.send(request); !sent) return std::unexpected(sent.error());
        // The interval runs from the send; what arrives meanwhile does not move it.
        const auto give_up_at = Clock::now() + retry.interval;
        for (;;) {
            // Look before every wait: whatever is queued now, from before
            // this call or since the last edge, is taken to WouldBlock.
            if (auto found = take_answer(socket, id_bytes, buffer)) return std::move(*found);
            const auto now = Clock::now();
            if (now >= give_up_at) break;
            // Events are not inspected: a readable or an error event both
            // mean "receive again", and so does a signal.
            const auto waited = poll.poll(events, give_up_at - now);
            if (!waited && !io::is_interrupted(waited.error())) return std::unexpected(waited.error());
        }
    }
    return std::unexpected(std::make_error_code(std::errc::timed_out));
}

}  // namespace

io::Result<std::string> ask(const net::UdpSocket& socket, std::uint32_t id, std::string_view question, Retry retry) {
    if (retry.attempts < 1 || retry.interval.count() < 0) {
        return std::unexpected(std::make_error_code(std::errc::invalid_argument));
    }
    auto poll = Poll::create();
    if (!poll) return std::unexpected(poll.error());
    if (auto joined = poll->registry().register_(socket, kAnswers, Interest::READABLE); !joined) {
        return std::unexpected(joined.error());
    }
    auto answer = ask_registered(socket, *poll, id, question, retry);
    // The socket remembers which selector it belongs to (chapter 03): leave
    // it free for the caller's next Poll, on every way out.
    auto released = poll->registry().deregister(socket);
    if (answer && !released) return std::unexpected(released.error());
    return answer;
}

}  // namespace metalio::exercise
