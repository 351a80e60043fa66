#include "metalio/rt/timers.hpp"

#include <bit>
#include <exception>

#include "metalio/rt/context.hpp"

namespace metalio::rt {

namespace {

constexpr unsigned kBits = 6;  // log2(Timers::kSlots)
static_assert(Timers::kSlots == 1U << kBits);
// The last tick the top level can tell apart from elapsed's block.
constexpr unsigned kSpanBits = kBits * Timers::kLevels;

// The level an entry due at @p tick belongs to while the wheel is at
// @p elapsed: the highest 6-bit digit in which the two differ.
unsigned level_for(std::uint64_t elapsed, std::uint64_t tick) noexcept {
    const std::uint64_t differ = (elapsed ^ tick) | (Timers::kSlots - 1);
    return static_cast<unsigned>(63 - std::countl_zero(differ)) / kBits;
}

}  // namespace

Timers::Timers(TimePoint origin) noexcept : origin_(origin) {
    for (unsigned level = 0; level <= kLevels; ++level) {
        for (unsigned slot = 0; slot < (level == kLevels ? 1 : kSlots); ++slot) {
            Link& list = head(level, slot);
            list.prev = list.next = &list;
        }
    }
}

Timers::~Timers() {
    for (unsigned level = 0; level <= kLevels; ++level) {
        for (unsigned slot = 0; slot < (level == kLevels ? 1 : kSlots); ++slot) {
            Link& list = head(level, slot);
            for (Link* node = list.next; node != &list;) {
                Link* next = node->next;
                auto* entry = static_cast<Entry*>(node);
                entry->timers_ = nullptr;
                entry->prev = entry->next = nullptr;
                node = next;
            }
        }
    }
}

std::uint64_t Timers::tick_of(TimePoint time) const noexcept {
    if (time <= origin_) return 0;
    // Rounded up: an entry never fires before its deadline.
    const auto since = std::chrono::duration_cast<std::chrono::nanoseconds>(time - origin_);
    return static_cast<std::uint64_t>((since + kTick - std::chrono::nanoseconds{1}) / kTick);
}

// [wheel-link]
Timers::Link& Timers::head(unsigned level, unsigned slot) noexcept {
    return level == kLevels ? overflow_ : levels_[level].slots[slot];
}

void Timers::link(Entry& entry) noexcept {
    // A deadline already due goes to the current slot. One beyond the top
    // level's block waits in the overflow list until the wheel gets there.
    const std::uint64_t place = entry.tick_ < elapsed_ ? elapsed_ : entry.tick_;
    const std::uint64_t reach = elapsed_ | ((std::uint64_t{1} << kSpanBits) - 1);
    unsigned level = kLevels;
    unsigned slot = 0;
    if (place <= reach) {
        level = level_for(elapsed_, place);
        slot = static_cast<unsigned>(place >> (level * kBits)) & (kSlots - 1);
        levels_[level].occupied |= std::uint64_t{1} << slot;
    }
    Link& list = head(level, slot);
    entry.prev = list.prev;
    entry.next = &list;
    list.prev->next = &entry;
    list.prev = &entry;
    entry.level_ = static_cast<std::uint8_t>(level);
    entry.slot_ = static_cast<std::uint8_t>(slot);
}

void Timers::unlink(Entry& entry) noexcept {
    entry.prev->next = entry.next;
    entry.next->prev = entry.prev;
    entry.prev = entry.next = nullptr;
    if (entry.level_ == kLevels) return;
    const Link& list = head(entry.level_, entry.slot_);
    if (list.next == &list) levels_[entry.level_].occupied &= ~(std::uint64_t{1} << entry.slot_);
}
// [wheel-link]

void Timers::Entry::cancel() noexcept {
    if (timers_ != nullptr) {
        timers_->unlink(*this);
        --timers_->size_;
        timers_ = nullptr;
    }
    waiter.unlink();
}

void Timers::insert(Entry& entry, TimePoint deadline) noexcept {
    entry.cancel();
    entry.tick_ = tick_of(deadline);
    entry.timers_ = this;
    link(entry);
    ++size_;
}

std::optional<Timers::Due> Timers::next_due() const noexcept {
    // Lower levels first: every slot of level L lies after the whole block
    // of level L-1 that the wheel is in.
    for (unsigned level = 0; level < kLevels; ++level) {
        const unsigned shift = level * kBits;
        const unsigned position = static_cast<unsigned>(elapsed_ >> shift) & (kSlots - 1);
        const std::uint64_t ahead = levels_[level].occupied & (~std::uint64_t{0} << position);
        if (ahead == 0) continue;
        const unsigned slot = static_cast<unsigned>(std::countr_zero(ahead));
        const std::uint64_t block = elapsed_ & ~((std::uint64_t{1} << (shift + kBits)) - 1);
        return Due{block + (std::uint64_t{slot} << shift), level, slot};
    }
    // Only far deadlines: the next stop is the start of the next top block.
    if (overflow_.next != &overflow_) return Due{(elapsed_ | ((std::uint64_t{1} << kSpanBits) - 1)) + 1, kLevels, 0};
    return std::nullopt;
}

std::optional<std::chrono::nanoseconds> Timers::next_timeout(TimePoint now) const noexcept {
    const auto due = next_due();
    if (!due) return std::nullopt;
    const TimePoint when = origin_ + due->tick * kTick;
    if (when <= now) return std::chrono::nanoseconds{0};
    // Poll rounds a partial millisecond up, so the reactor never wakes
    // before the tick and spins.
    return std::chrono::duration_cast<std::chrono::nanoseconds>(when - now);
}

// [fire]
std::size_t Timers::fire(TimePoint now, Executor& executor) noexcept {
    // Rounded down: a tick is due once it has fully begun.
    const auto since = std::chrono::duration_cast<std::chrono::nanoseconds>(now - origin_);
    const std::uint64_t now_tick = now <= origin_ ? 0 : static_cast<std::uint64_t>(since / kTick);
    std::size_t fired = 0;
    while (const auto due = next_due()) {
        if (due->tick > now_tick) break;
        if (due->tick > elapsed_) elapsed_ = due->tick;
        // Take the slot's whole list, then fire it (level 0) or place each
        // entry again, a level lower now that the wheel is at its slot.
        Link& list = head(due->level, due->slot);
        Link* node = list.next;
        list.prev->next = nullptr;
        list.prev = list.next = &list;
        if (due->level < kLevels) levels_[due->level].occupied &= ~(std::uint64_t{1} << due->slot);
        while (node != nullptr) {
            Link* next = node->next;
            auto* entry = static_cast<Entry*>(node);
            if (due->level == 0) {
                entry->prev = entry->next = nullptr;
                entry->timers_ = nullptr;
                --size_;
                executor.schedule(entry->waiter);
                ++fired;
            } else {
                link(*entry);
            }
            node = next;
        }
    }
    if (now_tick > elapsed_) elapsed_ = now_tick;
    return fired;
}
// [fire]

void Sleep::await_suspend(std::coroutine_handle<> caller) {
    Context* context = Context::current();
    // Only a task can suspend, and tasks only run inside block_on.
    if (context == nullptr) std::terminate();
    entry_.waiter.handle = caller;
    context->timers.insert(entry_, deadline_);
}

Task<void> sleep_until(TimePoint deadline) { co_await Sleep(deadline); }

Task<void> sleep_for(std::chrono::nanoseconds duration) {
    // Not a coroutine itself: the deadline is fixed by the call, as tokio's
    // `sleep` does, not when the task first runs (a sleep_for handed to
    // select() or spawn() would otherwise start a scheduler pass late).
    return sleep_until(Clock::now() + duration);
}

}  // namespace metalio::rt
