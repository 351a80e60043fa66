// One client of the echo server: its stream, the bytes still to send, and
// the two things an event can ask of it. Header-only so that the stage's
// tests can drive it directly.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "metalio/net/tcp_stream.hpp"

namespace echo {

/// A connection of the echo server.
///
/// The article's version writes its greeting once and treats a short write
/// as an error. A short write is not an error: the socket's send buffer
/// took what it could. So this class keeps the unsent bytes in `pending_`
/// and sends the rest when the next writable event comes.
class Connection {
public:
    explicit Connection(metalio::net::TcpStream stream) : stream_(std::move(stream)) {}

    [[nodiscard]] const metalio::net::TcpStream& stream() const { return stream_; }

    /// Queues bytes to send; flush() sends them.
    void queue(std::string_view bytes) { pending_.append(bytes); }
    [[nodiscard]] bool has_pending() const { return !pending_.empty(); }

    // [flush]
    /// Writes as much of the queue as the socket takes. Stops at WouldBlock
    /// (the rest waits for the next writable event), retries on Interrupted,
    /// and returns any other error.
    metalio::io::Result<void> flush() {
        while (!pending_.empty()) {
            const auto written = stream_.write(std::string_view(pending_));
            if (written) {
                pending_.erase(0, *written);  // a short write keeps the rest
                continue;
            }
            if (metalio::io::is_would_block(written.error())) return {};
            if (metalio::io::is_interrupted(written.error())) continue;
            return std::unexpected(written.error());
        }
        return {};
    }
    // [flush]

    // [drain]
    /// Reads until WouldBlock, appending to @p received. Edge-triggered
    /// readiness will not be reported again for bytes left unread, so a
    /// single read per event is not enough. Returns true once the peer has
    /// closed its side (a read of 0 bytes).
    metalio::io::Result<bool> drain(std::string& received) {
        char buffer[4096];
        for (;;) {
            const auto read = stream_.read(std::as_writable_bytes(std::span(buffer)));
            if (read && *read == 0) return true;
            if (read) {
                received.append(buffer, *read);
                continue;
            }
            if (metalio::io::is_would_block(read.error())) return false;
            if (metalio::io::is_interrupted(read.error())) continue;
            return std::unexpected(read.error());
        }
    }
    // [drain]

    // [read-short]
    /// drain() with the short-read rule: a read that returns fewer bytes
    /// than the buffer holds has emptied the socket for now, so stop there
    /// and save the read that would only say WouldBlock. New bytes make a
    /// new edge (on poll(2) the short read re-armed the stream). Pass
    /// @p peer_closed = event.is_read_closed(): if the close came with the
    /// data, no new edge will come for the end-of-file, so read on to it.
    /// Stream sockets only; see chapter 06 for when the rule does not hold.
    metalio::io::Result<bool> read_until_short(std::string& received, bool peer_closed) {
        char buffer[4096];
        for (;;) {
            const auto read = stream_.read(std::as_writable_bytes(std::span(buffer)));
            if (read && *read == 0) return true;
            if (read) {
                received.append(buffer, *read);
                if (*read < sizeof buffer && !peer_closed) return false;  // drained for now
                continue;
            }
            if (metalio::io::is_would_block(read.error())) return false;
            if (metalio::io::is_interrupted(read.error())) continue;
            return std::unexpected(read.error());
        }
    }
    // [read-short]

private:
    metalio::net::TcpStream stream_;
    std::string pending_;
};

}  // namespace echo
