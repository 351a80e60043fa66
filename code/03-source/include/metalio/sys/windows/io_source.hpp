/// @file
/// IoSource on Windows: an owned socket and its registration (Windows only;
/// mio's `sys/windows/mod.rs` IoSourceState). Included by metalio/io_source.hpp.
#pragma once

#include <cstddef>

#include <winsock2.h>

#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>

#include "metalio/selector_id.hpp"
#include "metalio/sys/windows/owned_socket.hpp"

namespace metalio {

// [io-source]
/// Owns a socket and registers it: what TcpListener and TcpStream are built
/// from on Windows (mio's `IoSource<T>` with its Windows `IoSourceState`).
///
/// There is no SourceFd on Windows: the IOCP selector cannot poll a bare
/// handle number, it needs a record per socket (the AFD poll request in
/// flight, the events asked for) that lives as long as the registration.
/// IoSource keeps that record next to the socket, with the selector and the
/// token and interests of the last register/reregister, and so adds to the
/// socket:
/// - the SelectorId association check, the same rules as on Unix;
/// - do_io(): an operation that returns WouldBlock re-arms the registration
///   (the selector disarmed what it reported: the emulated edge);
/// - destruction deregisters, which cancels the poll request in flight.
///
/// Introduced in chapter 03 (source).
class IoSource {
public:
    /// Takes ownership of @p socket (not yet registered).
    explicit IoSource(sys::windows::OwnedSocket socket) noexcept : socket_(std::move(socket)) {}
    /// Moves the socket and its registration.
    IoSource(IoSource&& other) noexcept;
    /// Drops the current socket (deregistering it), takes @p other's.
    IoSource& operator=(IoSource&& other) noexcept;
    /// Deregisters, then closes the socket.
    ~IoSource();

    /// The socket, still owned by this object.
    [[nodiscard]] SOCKET as_raw_socket() const noexcept { return socket_.get(); }
    /// Gives the socket up (deregistering it first).
    [[nodiscard]] sys::windows::OwnedSocket into_socket() && noexcept;

    // [do-io]
    /// Runs @p operation(socket) and returns its result; a WouldBlock result
    /// re-arms the registration first. If the re-arm fails, its error
    /// replaces the WouldBlock: waiting for an event would never end.
    template <class Operation>
    auto do_io(Operation&& operation) const -> std::invoke_result_t<Operation, SOCKET> {
        auto result = std::forward<Operation>(operation)(socket_.get());
        if (!result && io::is_would_block(result.error())) {
            if (auto rearmed = rearm(); !rearmed) return std::unexpected(rearmed.error());
        }
        return result;
    }
    // [do-io]

    // [do-read]
    /// do_io() for a read into buffers of @p asked bytes in all, with the
    /// short-read rule of the Unix IoSource: a read that returns fewer bytes
    /// than asked (and not end-of-file) has emptied the socket for now, so
    /// the caller may stop there. The AFD poll behind IOCP is one-shot, like
    /// the poll(2) selector's emulated edge, so such a short read re-arms
    /// the registration exactly as WouldBlock does; otherwise no further
    /// event would come.
    /// A failed re-arm replaces a WouldBlock, as in do_io(); after a short
    /// read the bytes are returned and the re-arm's error is not (the
    /// selector retries that re-arm and reports a failure as an event).
    template <class Operation>
    auto do_read(std::size_t asked, Operation&& operation) const -> std::invoke_result_t<Operation, SOCKET> {
        auto result = std::forward<Operation>(operation)(socket_.get());
        if (result) {
            if (*result > 0 && static_cast<std::size_t>(*result) < asked) (void)rearm();
        } else if (io::is_would_block(result.error())) {
            if (auto rearmed = rearm(); !rearmed) return std::unexpected(rearmed.error());
        }
        return result;
    }
    // [do-read]

    /// Checks the association (SelectorId), then registers the socket.
    io::Result<void> register_(const Registry& registry, Token token, Interest interests) const noexcept;
    /// Checks the association, then reregisters the socket.
    io::Result<void> reregister(const Registry& registry, Token token, Interest interests) const noexcept;
    /// Checks the association, deregisters the socket and forgets the association.
    io::Result<void> deregister(const Registry& registry) const noexcept;

private:
    io::Result<void> rearm() const noexcept;
    void forget_registration() noexcept;

    // What the selector needs to re-arm or cancel this socket's poll.
    struct Registration {
        sys::Selector selector;  // a cheap shared handle
        std::shared_ptr<sys::iocp::SockState> state;
        Token token;
        Interest interests;
    };
    struct Guarded {
        std::mutex mutex;
        std::optional<Registration> registration;
    };
    mutable Guarded registration_;

    sys::windows::OwnedSocket socket_;
    mutable SelectorId selector_id_;
};
// [io-source]

static_assert(Source<IoSource>);

}  // namespace metalio
