/// @file
/// Events: the buffer one poll fills.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <type_traits>

#include "metalio/event.hpp"

namespace metalio {

// [events]
/// A fixed-capacity buffer of events, filled by each poll.
///
/// The capacity bounds how many events one poll returns; the others stay
/// pending in the kernel and come with the next poll. The buffer is
/// allocated once, in with_capacity(), so polling never allocates.
/// Introduced in chapter 02 (selector).
class Events {
public:
    /// Iterates the events of the last poll, yielding each Event by reference.
    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;  ///< Iterator trait.
        using value_type = Event;                            ///< Iterator trait.
        using difference_type = std::ptrdiff_t;              ///< Iterator trait.
        using reference = const Event&;                      ///< Iterator trait.
        using pointer = const Event*;                        ///< Iterator trait.

        /// A singular iterator.
        const_iterator() = default;
        /// The event at this position.
        const Event& operator*() const noexcept { return *at_; }
        /// The event at this position.
        const Event* operator->() const noexcept { return at_; }
        /// Next event.
        const_iterator& operator++() noexcept {
            ++at_;
            return *this;
        }
        /// Next event (postfix).
        const_iterator operator++(int) noexcept {
            auto before = *this;
            ++at_;
            return before;
        }
        /// Same position.
        friend bool operator==(const_iterator, const_iterator) = default;

    private:
        friend class Events;
        explicit const_iterator(const Event* at) noexcept : at_(at) {}
        const Event* at_ = nullptr;
    };

    /// Room for @p capacity events. A capacity of zero is allowed here but
    /// every poll with it fails with Errc::zero_capacity_events.
    static Events with_capacity(std::size_t capacity) { return Events(capacity); }

    /// The most events one poll can return.
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
    /// How many events the last poll returned.
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// True if the last poll returned no event.
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    /// The first event of the last poll.
    [[nodiscard]] const_iterator begin() const noexcept { return const_iterator(buffer_.get()); }
    /// Past the last event.
    [[nodiscard]] const_iterator end() const noexcept { return const_iterator(buffer_.get() + size_); }
    /// Forgets the events (the capacity stays).
    void clear() noexcept { size_ = 0; }

    // [events-buffer]
private:
    /// @cond
    // The selector writes into the buffer directly.
    friend sys::Selector;
    /// @endcond

    explicit Events(std::size_t capacity)
        : buffer_(capacity == 0 ? nullptr : new Event[capacity]), capacity_(capacity) {}

    // An Event is its kernel record and nothing else (checked below), so
    // the array of Events is the array the kernel writes.
    sys::Event* sys_buffer() noexcept { return &buffer_.get()->raw_; }
    void set_len(std::size_t size) noexcept { size_ = size; }
    void push(const sys::Event& event) noexcept { buffer_[size_++].raw_ = event; }

    std::unique_ptr<Event[]> buffer_;
    std::size_t capacity_;
    std::size_t size_ = 0;
    // [events-buffer]
};
// [events]

static_assert(std::is_standard_layout_v<Event> && sizeof(Event) == sizeof(sys::Event) &&
                  alignof(Event) == alignof(sys::Event),
              "Events hands its array of Event to the kernel as an array of sys::Event");

}  // namespace metalio
