/// @file
/// Waiter and WaitList: where a parked coroutine waits, and the run queue.
#pragma once

#include <coroutine>

namespace metalio::rt {

class WaitList;

// [waiter]
/// One suspended coroutine waiting for something: readiness of a socket, a
/// deadline, or its turn in the run queue.
///
/// A Waiter lives inside the thing that suspended the coroutine (an awaiter
/// object, which sits in the coroutine's frame while it is suspended), and
/// is linked into at most one WaitList at a time. Its destructor unlinks it.
/// That is the whole of cancellation in this runtime: destroying a suspended
/// coroutine frame destroys its awaiter, whose Waiter leaves whatever list
/// it was in, so nothing can resume a frame that no longer exists.
/// Not copyable, not movable: lists point at it. Introduced in chapter 09.
class Waiter {
public:
    /// An unlinked waiter that resumes nothing yet.
    Waiter() noexcept = default;
    Waiter(const Waiter&) = delete;
    Waiter& operator=(const Waiter&) = delete;
    /// Leaves its list, if it is in one.
    ~Waiter() { unlink(); }

    /// The coroutine to resume when this waiter's turn comes.
    std::coroutine_handle<> handle;

    /// True while the waiter is in a list.
    [[nodiscard]] bool linked() const noexcept { return list_ != nullptr; }
    /// Leaves its list (no-op when in none).
    void unlink() noexcept;

private:
    friend class WaitList;
    Waiter* prev_ = nullptr;
    Waiter* next_ = nullptr;
    WaitList* list_ = nullptr;
};
// [waiter]

/// An intrusive FIFO list of Waiters: no allocation to park or wake a task.
///
/// Used for the tasks parked on one direction of a socket, for the executor's
/// run queue, and (as a batch) while the executor runs one pass. Destroying
/// a list unlinks what is still in it. Introduced in chapter 09.
class WaitList {
public:
    /// An empty list.
    WaitList() noexcept = default;
    WaitList(const WaitList&) = delete;
    WaitList& operator=(const WaitList&) = delete;
    /// Unlinks every waiter still in the list.
    ~WaitList();

    /// True if no waiter is in the list.
    [[nodiscard]] bool empty() const noexcept { return head_ == nullptr; }
    /// Appends @p waiter, first unlinking it from any list it is in.
    void push_back(Waiter& waiter) noexcept;
    /// Unlinks and returns the first waiter, or nullptr if empty.
    Waiter* pop_front() noexcept;
    /// Moves every waiter of @p other to the end of this list, in order.
    void splice_back(WaitList& other) noexcept;

private:
    friend class Waiter;
    void remove(Waiter& waiter) noexcept;

    Waiter* head_ = nullptr;
    Waiter* tail_ = nullptr;
};

}  // namespace metalio::rt
