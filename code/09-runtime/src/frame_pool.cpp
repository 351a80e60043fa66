#include "metalio/rt/frame_pool.hpp"

#include <new>

#include "metalio/rt/context.hpp"

namespace metalio::rt {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kRecycle = false;  // let AddressSanitizer see every free
#else
constexpr bool kRecycle = true;
#endif

// The running runtime's pool, or nullptr (no runtime here, or recycling off).
FramePool* running_pool() noexcept {
    if (!kRecycle) return nullptr;
    Context* context = Context::current();
    return context != nullptr ? &context->frames : nullptr;
}

}  // namespace

FramePool::~FramePool() {
    for (std::size_t i = 0; i < heads_.size(); ++i) {
        while (Block* block = heads_[i]) {
            heads_[i] = block->next;
            ::operator delete(block, (i + 1) * kGrain);
        }
    }
}

// [allocate]
void* FramePool::allocate(std::size_t size) {
    if (size > kLargest) return ::operator new(size);
    const std::size_t index = (size - 1) / kGrain;
    if (FramePool* pool = running_pool()) {
        if (Block* block = pool->heads_[index]) {
            pool->heads_[index] = block->next;
            --pool->counts_[index];
            return block;
        }
    }
    return ::operator new((index + 1) * kGrain);  // the class's full size: blocks are interchangeable
}
// [allocate]

void FramePool::deallocate(void* frame, std::size_t size) noexcept {
    if (size > kLargest) return ::operator delete(frame, size);
    const std::size_t index = (size - 1) / kGrain;
    FramePool* pool = running_pool();
    if (pool == nullptr || pool->counts_[index] == kKeepPerClass) {
        return ::operator delete(frame, (index + 1) * kGrain);
    }
    auto* block = static_cast<Block*>(frame);
    block->next = pool->heads_[index];
    pool->heads_[index] = block;
    ++pool->counts_[index];
}

}  // namespace metalio::rt
