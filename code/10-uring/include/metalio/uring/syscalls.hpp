/// @file
/// The three system calls of io_uring, wrapped like every other call.
#pragma once

#include <linux/io_uring.h>

#include <cstddef>

#include "metalio/io.hpp"
#include "metalio/sys/owned_fd.hpp"

namespace metalio::sys::uring {

// [syscalls]
/// `io_uring_setup(entries, params)`: creates a ring of at least @p entries
/// submission slots and returns its descriptor. The kernel fills @p params
/// with the sizes and the offsets of the head, tail, mask and array fields
/// inside the two regions that mmap() then maps.
///
/// glibc has no wrapper for any of the three calls, so they go through
/// `syscall(2)` by number, still inside metalio::sys::syscall: each has a
/// fault point under its own name ("io_uring_setup", "io_uring_enter").
/// Introduced in chapter 10 (uring).
io::Result<OwnedFd> setup(unsigned entries, io_uring_params& params) noexcept;

/// `io_uring_enter(fd, to_submit, min_complete, flags)`: hands the kernel
/// the first @p to_submit queued entries and, with IORING_ENTER_GETEVENTS
/// in @p flags, waits until @p min_complete completions are in the
/// completion queue. Returns how many entries the kernel took.
io::Result<unsigned> enter(int fd, unsigned to_submit, unsigned min_complete, unsigned flags) noexcept;

/// `mmap` of @p length bytes of the ring @p fd at @p offset
/// (IORING_OFF_SQ_RING, IORING_OFF_CQ_RING or IORING_OFF_SQES), shared
/// with the kernel and populated at once.
io::Result<void*> map(int fd, std::size_t length, long long offset) noexcept;
// [syscalls]

// [register]
/// `io_uring_register(fd, opcode, arg, nr_args)`: registers (or
/// unregisters) a resource with the ring @p fd, here a provided buffer ring
/// (IORING_REGISTER_PBUF_RING, Linux 5.19). Fault point "io_uring_register".
io::Result<void> register_(int fd, unsigned opcode, void* arg, unsigned nr_args) noexcept;

/// `mmap` of @p length bytes of private, zeroed memory, populated at once:
/// page-aligned memory the kernel and the program share by address (a
/// provided buffer ring and its buffers). Fault point "mmap".
io::Result<void*> map_anonymous(std::size_t length) noexcept;
// [register]

}  // namespace metalio::sys::uring
