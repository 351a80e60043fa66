/// @file
/// Waiter and WaitList: where a parked coroutine waits, and the run queue.
#pragma once

#include <coroutine>

namespace metalio::rt {

class WaitList;

/// The two pointers of a doubly linked, circular list: a Waiter's place in
/// a WaitList, and the WaitList's own head (so that unlinking needs no
/// list and no test for the ends). Null while in no list.
/// Introduced in chapter 09 (runtime).
struct WaitLink {
    WaitLink* prev = nullptr;  ///< The one before (the list's head if first).
    WaitLink* next = nullptr;  ///< The one after (the list's head if last).
};

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
///
/// When its turn comes, run() resumes the coroutine, or, if the awaiter set
/// its own on_turn hook, calls that instead: an I/O operation uses it to
/// try its system call first and resume the coroutine only when the call
/// got somewhere (IoOperation). Not copyable, not movable: lists point at
/// it.
/// Introduced in chapter 09.
class Waiter : private WaitLink {
public:
    /// An unlinked waiter that resumes nothing yet.
    Waiter() noexcept = default;
    Waiter(const Waiter&) = delete;
    Waiter& operator=(const Waiter&) = delete;
    /// Leaves its list, if it is in one.
    ~Waiter() { unlink(); }

    /// The coroutine to resume when this waiter's turn comes.
    std::coroutine_handle<> handle;
    /// What run() calls: resume_handle() unless the awaiter set its own.
    void (*on_turn)(Waiter&) = &resume_handle;

    /// Its turn: calls on_turn (by default, resumes the coroutine).
    void run() { on_turn(*this); }
    /// The default on_turn: resumes @p waiter's coroutine.
    static void resume_handle(Waiter& waiter) { waiter.handle.resume(); }
    /// True while the waiter is in a list.
    [[nodiscard]] bool linked() const noexcept { return next != nullptr; }
    /// Leaves its list (no-op when in none).
    void unlink() noexcept {
        if (next != nullptr) {
            prev->next = next;
            next->prev = prev;
            prev = next = nullptr;
        }
    }

private:
    friend class WaitList;
};
// [waiter]

/// An intrusive FIFO list of Waiters: no allocation to park or wake a task.
///
/// Used for the tasks parked on one direction of a socket and for the
/// executor's run queue. Destroying a list unlinks what is still in it.
/// The operations are inline: each request of a server parks and wakes a
/// task a few times. Introduced in chapter 09.
class WaitList {
public:
    /// An empty list.
    WaitList() noexcept { head_.prev = head_.next = &head_; }
    WaitList(const WaitList&) = delete;
    WaitList& operator=(const WaitList&) = delete;
    /// Unlinks every waiter still in the list.
    ~WaitList() {
        while (pop_front() != nullptr) {
        }
    }

    /// True if no waiter is in the list.
    [[nodiscard]] bool empty() const noexcept { return head_.next == &head_; }
    /// Appends @p waiter, first unlinking it from any list it is in.
    void push_back(Waiter& waiter) noexcept {
        waiter.unlink();
        WaitLink& link = waiter;
        link.prev = head_.prev;
        link.next = &head_;
        head_.prev->next = &link;
        head_.prev = &link;
    }
    /// Unlinks and returns the first waiter, or nullptr if empty.
    Waiter* pop_front() noexcept {
        if (empty()) return nullptr;
        auto* first = static_cast<Waiter*>(head_.next);
        first->unlink();
        return first;
    }

    /// Unlinks and returns the first waiter of a list that is known not to
    /// be empty (the run queue while its end-of-pass marker is in it):
    /// pop_front() without its two tests, once per task run.
    Waiter& take_front() noexcept {
        WaitLink* first = head_.next;
        head_.next = first->next;
        first->next->prev = &head_;
        first->prev = first->next = nullptr;
        return *static_cast<Waiter*>(first);
    }

    /// Moves every waiter of @p other to the end of this list, in order:
    /// a few pointer writes, however many there are.
    void splice_back(WaitList& other) noexcept {
        if (other.empty()) return;
        WaitLink* first = other.head_.next;
        WaitLink* last = other.head_.prev;
        other.head_.prev = other.head_.next = &other.head_;
        first->prev = head_.prev;
        head_.prev->next = first;
        last->next = &head_;
        head_.prev = last;
    }

private:
    WaitLink head_;  // prev: the last waiter, next: the first (itself when empty)
};

}  // namespace metalio::rt
