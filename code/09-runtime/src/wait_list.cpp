#include "metalio/rt/wait_list.hpp"

namespace metalio::rt {

void Waiter::unlink() noexcept {
    if (list_ != nullptr) list_->remove(*this);
}

WaitList::~WaitList() {
    while (pop_front() != nullptr) {
    }
}

void WaitList::push_back(Waiter& waiter) noexcept {
    waiter.unlink();
    waiter.list_ = this;
    waiter.prev_ = tail_;
    waiter.next_ = nullptr;
    if (tail_ != nullptr) {
        tail_->next_ = &waiter;
    } else {
        head_ = &waiter;
    }
    tail_ = &waiter;
}

Waiter* WaitList::pop_front() noexcept {
    Waiter* first = head_;
    if (first != nullptr) remove(*first);
    return first;
}

void WaitList::splice_back(WaitList& other) noexcept {
    // Relinking one by one keeps each waiter's list_ pointer right; the
    // lists are short (the tasks parked on one socket direction).
    while (Waiter* waiter = other.pop_front()) push_back(*waiter);
}

void WaitList::remove(Waiter& waiter) noexcept {
    if (waiter.prev_ != nullptr) {
        waiter.prev_->next_ = waiter.next_;
    } else {
        head_ = waiter.next_;
    }
    if (waiter.next_ != nullptr) {
        waiter.next_->prev_ = waiter.prev_;
    } else {
        tail_ = waiter.prev_;
    }
    waiter.prev_ = waiter.next_ = nullptr;
    waiter.list_ = nullptr;
}

}  // namespace metalio::rt
