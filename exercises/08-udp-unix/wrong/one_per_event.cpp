// Known-wrong answer for exercise 08: receives one datagram per readable
// event, the level-triggered habit. Edge-triggered readiness counts
// arrivals: when several datagrams were queued behind one event, the rest
// wait with no event to announce them, and the answer is found too late.
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

// Receives one datagram: the answer, an error, or nothing.
std::optional<io::Result<std::string>> take_answer(const net::UdpSocket& socket, const IdBytes& id,
                                                   std::vector<std::byte>& buffer) {
    {  // wrong: one receive, then back to the poll
        const auto datagram = socket.recv(buffer);
        if (!datagram) {
            if (io::is_would_block(datagram.error())) return std::nullopt;
            // ECONNREFUSED lands here: the ICMP "port unreachable" is kept
            // on the connected socket and handed out by the next receive.
            return std::unexpected(datagram.error());
        }
        const std::span<const std::byte> got(buffer.data(), *datagram);
        if (got.size() < id.size() || !std::equal(id.begin(), id.end(), got.begin())) return std::nullopt;
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
            const auto now = Clock::now();
            if (now >= give_up_at) break;
            const auto waited = poll.poll(events, give_up_at - now);
            if (!waited && !io::is_interrupted(waited.error())) return std::unexpected(waited.error());
            for (const auto& event : events) {
                if (!event.is_readable()) continue;
                if (auto found = take_answer(socket, id_bytes, buffer)) return std::move(*found);
            }
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
