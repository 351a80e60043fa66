/// @file
/// Why io_uring is not there: the reasons a ring cannot be created.
#pragma once

#include <system_error>

namespace metalio::uring {

// [errc]
/// The reasons io_uring_setup refuses that a program should tell its user
/// apart, each with a message that names it (category "io_uring").
/// Ring::create returns one of these instead of the bare ENOSYS or EPERM.
/// Introduced in chapter 10 (uring).
enum class Errc {
    /// ENOSYS: the kernel has no io_uring (older than 5.1, or built
    /// without CONFIG_IO_URING), or a seccomp filter answers ENOSYS.
    not_supported = 1,
    /// EPERM with `kernel.io_uring_disabled = 2`: switched off for everyone.
    disabled,
    /// EPERM with `kernel.io_uring_disabled = 1`: allowed only to the
    /// group `kernel.io_uring_group` (and CAP_SYS_ADMIN), not to us.
    not_in_group,
    /// EPERM although the sysctl allows it: a seccomp filter (the default
    /// profile of Docker and of many container runtimes) or a security
    /// module refuses the call.
    blocked,
    /// The ring exists but lacks IORING_FEAT_FAST_POLL: a kernel older
    /// than 5.7, whose socket operations this stage does not support.
    kernel_too_old,
    /// io_uring_register refused IORING_REGISTER_PBUF_RING with EINVAL: a
    /// kernel older than 5.19, which has no provided buffer rings (and no
    /// multishot recv, which needs them and Linux 6.0).
    no_buffer_ring,
};
// [errc]

/// The `std::error_category` of uring::Errc ("io_uring").
const std::error_category& error_category() noexcept;

/// Makes a `std::error_code` from a uring::Errc (found by ADL).
std::error_code make_error_code(Errc e) noexcept;

/// The reason behind a failed io_uring_setup: @p error itself unless it is
/// ENOSYS or EPERM, which become the uring::Errc that names the cause
/// (reading `/proc/sys/kernel/io_uring_disabled` to tell EPERMs apart).
std::error_code explain_setup_error(std::error_code error) noexcept;

}  // namespace metalio::uring

/// @cond
template <>
struct std::is_error_code_enum<metalio::uring::Errc> : std::true_type {};
/// @endcond
