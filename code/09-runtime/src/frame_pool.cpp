#include "metalio/rt/frame_pool.hpp"

#include <array>
#include <new>

namespace metalio::rt {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kRecycle = false;  // let AddressSanitizer see every free
#else
constexpr bool kRecycle = true;
#endif

constexpr std::size_t kGrain = 64;        // size classes: 64, 128, ... bytes
constexpr std::size_t kLargest = 1024;    // bigger frames are not recycled
constexpr std::size_t kKeepPerClass = 256;  // a burst beyond that goes back to malloc

// [free-lists]
struct FreeLists {
    struct Block {
        Block* next;
    };
    std::array<Block*, kLargest / kGrain> heads{};
    std::array<std::size_t, kLargest / kGrain> counts{};

    ~FreeLists() {
        for (std::size_t i = 0; i < heads.size(); ++i) {
            while (Block* block = heads[i]) {
                heads[i] = block->next;
                ::operator delete(block, (i + 1) * kGrain);
            }
        }
    }
};
thread_local FreeLists free_lists;
// [free-lists]

}  // namespace

void* FramePool::allocate(std::size_t size) {
    if (!kRecycle || size > kLargest) return ::operator new(size);
    const std::size_t index = (size - 1) / kGrain;
    if (FreeLists::Block* block = free_lists.heads[index]) {
        free_lists.heads[index] = block->next;
        --free_lists.counts[index];
        return block;
    }
    return ::operator new((index + 1) * kGrain);  // the class's full size: blocks are interchangeable
}

void FramePool::deallocate(void* frame, std::size_t size) noexcept {
    if (!kRecycle || size > kLargest) return ::operator delete(frame, size);
    const std::size_t index = (size - 1) / kGrain;
    if (free_lists.counts[index] == kKeepPerClass) return ::operator delete(frame, (index + 1) * kGrain);
    auto* block = static_cast<FreeLists::Block*>(frame);
    block->next = free_lists.heads[index];
    free_lists.heads[index] = block;
    ++free_lists.counts[index];
}

}  // namespace metalio::rt
