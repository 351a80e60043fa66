/// @file
/// FramePool: recycles coroutine frames instead of going to malloc each time.
#pragma once

#include <array>
#include <cstddef>

namespace metalio::rt {

// [frame-pool]
/// Where every Task's frame comes from. Each `co_await stream.read(...)`
/// makes a frame and frees it a moment later, so a server allocates and
/// frees a few small frames per request; the same few sizes, over and
/// over. Each runtime has one pool: it keeps freed frames of up to 1 KiB
/// on a free list per 64-byte size class and hands them out again, a few
/// instructions instead of a trip through malloc and free. Bigger frames,
/// and frames made or freed where no runtime is running (a Handle::spawn
/// from another thread, a Task dropped after its runtime), go to the
/// global allocator: every block is a whole size class, so a block from
/// either place can end in the other.
///
/// The pool is the runtime's (found through Context::current()), not the
/// thread's: a thread_local with a destructor would free a thread's cache
/// when it exits, but under mingw-w64 and Wine that destructor made a test
/// process hang (docs/testing.rst), and a thread that only spawns would
/// keep a cache it never uses. The runtime frees its pool when it is
/// destroyed, after its tasks. Under AddressSanitizer the pool passes
/// everything through, so that a use of a destroyed frame is still caught.
/// Introduced in chapter 09 (runtime).
class FramePool {
public:
    FramePool() noexcept = default;
    /// Frees the cached blocks.
    ~FramePool();
    FramePool(const FramePool&) = delete;
    FramePool& operator=(const FramePool&) = delete;

    /// A block of at least @p size bytes for a coroutine frame: from the
    /// running runtime's pool, else from the global allocator.
    static void* allocate(std::size_t size);
    /// Returns a block from allocate() with the same @p size: to the running
    /// runtime's pool, else to the global allocator.
    static void deallocate(void* frame, std::size_t size) noexcept;

private:
    static constexpr std::size_t kGrain = 64;          // size classes: 64, 128, ... bytes
    static constexpr std::size_t kLargest = 1024;      // bigger frames are not recycled
    static constexpr std::size_t kKeepPerClass = 256;  // a burst beyond that goes back to malloc

    struct Block {
        Block* next;
    };
    std::array<Block*, kLargest / kGrain> heads_{};
    std::array<std::size_t, kLargest / kGrain> counts_{};
};
// [frame-pool]

}  // namespace metalio::rt
