/// @file
/// The AFD driver's poll request: readiness of sockets, delivered through a
/// completion port (Windows only; mio's `sys/windows/afd.rs`).
#pragma once

#include <winsock2.h>
#include <windows.h>
#include <winternl.h>

#include <cstdint>

#include "metalio/io.hpp"
#include "metalio/sys/windows/owned_handle.hpp"

namespace metalio::sys::windows::afd {

// [flags]
/// The events of an AFD poll (the `AFD_POLL_*` bits of the driver; undocumented,
/// the same values wepoll, libuv and mio use).
inline constexpr std::uint32_t kReceive = 0x0001;           ///< Data can be received.
inline constexpr std::uint32_t kReceiveExpedited = 0x0002;  ///< Out-of-band data can be received.
inline constexpr std::uint32_t kSend = 0x0004;              ///< Data can be sent.
inline constexpr std::uint32_t kDisconnect = 0x0008;        ///< The peer shut down its sending half (FIN).
inline constexpr std::uint32_t kAbort = 0x0010;             ///< The connection was reset or aborted.
inline constexpr std::uint32_t kLocalClose = 0x0020;        ///< The socket was closed in this process.
inline constexpr std::uint32_t kAccept = 0x0080;            ///< A connection can be accepted.
inline constexpr std::uint32_t kConnectFail = 0x0100;       ///< A connect() failed.
// [flags]

// [poll-info]
/// One socket of a poll request and, on completion, what happened to it.
struct PollHandleInfo {
    HANDLE handle;         ///< The (base) socket.
    ULONG events;          ///< In: the events to wait for. Out: the events that fired.
    NTSTATUS status;       ///< Out: the socket's status.
};

/// The buffer of `IOCTL_AFD_POLL`: read by the driver when the request is
/// made, written when it completes, so it must stay at one address (and
/// alive) until the completion is dequeued.
struct PollInfo {
    LARGE_INTEGER timeout;       ///< When the request gives up: the largest value, never.
    ULONG number_of_handles;     ///< In: 1. Out: how many entries of #handles report events.
    ULONG exclusive;             ///< 0: other polls of the socket are not cancelled by this one.
    PollHandleInfo handles[1];   ///< metalio polls one socket per request.
};
// [poll-info]

// [afd]
/// A handle on the `\Device\Afd` driver, associated with a completion port:
/// every poll made through it completes into that port.
///
/// Sockets are not polled through their own handles because a poll request
/// needs a file object to be queued on, and the completion must reach the
/// selector's port. Any AFD handle can poll any socket (the request names
/// it), so one handle serves many sockets; see Selector for why metalio, like
/// mio, still uses one handle per 32 sockets. Move-only.
/// Introduced in chapter 02 (selector).
class Afd {
public:
    /// Opens `\Device\Afd\Metalio` (NtCreateFile) and associates it with
    /// @p port, with @p key as the completion key of its completions.
    static io::Result<Afd> create(HANDLE port, ULONG_PTR key) noexcept;

    /// Starts `IOCTL_AFD_POLL` for @p info. Its completion arrives on the
    /// port with @p context as the OVERLAPPED pointer; until then @p info and
    /// @p iosb belong to the driver.
    io::Result<void> poll(PollInfo& info, IO_STATUS_BLOCK& iosb, void* context) const noexcept;

    /// Cancels the poll whose status block is @p iosb (NtCancelIoFileEx). Its
    /// completion still arrives, with `STATUS_CANCELLED`; cancelling a poll
    /// that completed meanwhile is not an error.
    io::Result<void> cancel(IO_STATUS_BLOCK& iosb) const noexcept;

    /// The handle.
    [[nodiscard]] HANDLE get() const noexcept { return handle_.get(); }

private:
    explicit Afd(OwnedHandle handle) noexcept : handle_(static_cast<OwnedHandle&&>(handle)) {}

    OwnedHandle handle_;
};
// [afd]

/// `STATUS_PENDING`: the request was queued and completes later.
inline constexpr NTSTATUS kStatusPending = 0x00000103;
/// `STATUS_CANCELLED`: the request was cancelled (NtCancelIoFileEx).
inline constexpr NTSTATUS kStatusCancelled = static_cast<NTSTATUS>(0xC0000120);

}  // namespace metalio::sys::windows::afd
