/// @file
/// FramePool: recycles coroutine frames instead of going to malloc each time.
#pragma once

#include <cstddef>

namespace metalio::rt {

// [frame-pool]
/// Where every Task's frame comes from. Each `co_await stream.read(...)`
/// makes a frame and frees it a moment later, so a server allocates and
/// frees a few small frames per request; the same few sizes, over and
/// over. The pool keeps freed frames of up to 1 KiB on a per-thread free
/// list per 64-byte size class and hands them out again: a few
/// instructions instead of a trip through malloc and free. Bigger frames
/// go to the global allocator.
///
/// Per thread, so no locking: a frame made on one thread (Handle::spawn)
/// and freed on the runtime's thread simply joins the runtime thread's
/// list. A thread's cached frames are freed when it exits. Under
/// AddressSanitizer the pool passes everything through, so that a use of a
/// destroyed frame is still caught. Introduced in chapter 09 (runtime).
class FramePool {
public:
    /// A block of at least @p size bytes for a coroutine frame.
    static void* allocate(std::size_t size);
    /// Returns a block from allocate() with the same @p size.
    static void deallocate(void* frame, std::size_t size) noexcept;
};
// [frame-pool]

}  // namespace metalio::rt
