/// @file
/// The Unix domain socket and multicast calls that differ between Unixes
/// (the last of sys/unix/portable/; the socket calls are in chapter 04's).
#pragma once

#include <netinet/in.h>
#include <sys/types.h>

#include "metalio/io.hpp"
#include "metalio/sys/owned_fd.hpp"

namespace metalio::sys::portable {

// [socket-pair]
/// socketpair(2) of two connected `AF_UNIX` sockets of @p type, both
/// non-blocking and close-on-exec: in the call where the system takes
/// `SOCK_NONBLOCK | SOCK_CLOEXEC`, with fcntl(2) (and `SO_NOSIGPIPE`) on
/// each end where not (macOS; mio's `uds/mod.rs`). Introduced in chapter 08.
io::Result<void> socket_pair(int type, int fds[2]) noexcept;
// [socket-pair]

// [peer-cred]
/// Who is at the other end of a connected `AF_UNIX` socket.
/// Introduced in chapter 08 (udp-unix).
struct PeerIds {
    pid_t pid;  ///< Its process id, or -1 where the system does not say (getpeereid).
    uid_t uid;  ///< Its effective user id.
    gid_t gid;  ///< Its effective group id.
};
/// Linux answers getsockopt(`SO_PEERCRED`) with a `struct ucred`; macOS and
/// the BSDs have getpeereid(3), which gives the user and group ids only.
/// `ENOTSUP` on a system with neither. Introduced in chapter 08 (udp-unix).
io::Result<PeerIds> peer_ids(int fd) noexcept;
// [peer-cred]

// [abstract]
/// Whether `AF_UNIX` has abstract names (a `sun_path` that starts with a
/// NUL). They are a property of Linux's kernel, not of a header: nothing
/// can be asked of the compiler, so this is the one switch of the
/// portable files that names a system. Elsewhere the address functions
/// answer `ENOTSUP`. Introduced in chapter 08 (udp-unix).
#if defined(__linux__)
inline constexpr bool has_abstract_names = true;  ///< Linux: yes.
#else
inline constexpr bool has_abstract_names = false;  ///< Elsewhere: no.
#endif
// [abstract]

// [multicast]
/// The socket options that join and leave an IPv6 multicast group: Linux
/// spells them `IPV6_ADD_MEMBERSHIP` / `IPV6_DROP_MEMBERSHIP`, the BSDs and
/// macOS `IPV6_JOIN_GROUP` / `IPV6_LEAVE_GROUP` (Linux has both names).
/// Introduced in chapter 08 (udp-unix).
#if defined(IPV6_ADD_MEMBERSHIP)
inline constexpr int ipv6_join_group = IPV6_ADD_MEMBERSHIP;    ///< Joins a group (Linux's name).
inline constexpr int ipv6_leave_group = IPV6_DROP_MEMBERSHIP;  ///< Leaves a group (Linux's name).
#else
inline constexpr int ipv6_join_group = IPV6_JOIN_GROUP;    ///< Joins a group (the BSDs' and macOS's name).
inline constexpr int ipv6_leave_group = IPV6_LEAVE_GROUP;  ///< Leaves a group (the BSDs' and macOS's name).
#endif
// [multicast]

}  // namespace metalio::sys::portable
