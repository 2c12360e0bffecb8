// A circular doubly linked list of nodes embedded in their owners, so waiters parked in coroutine
// frames can leave a wait queue in O(1) when cancelled, without allocating.
#pragma once

namespace taskfit::detail {

struct ListNode {
  ListNode* prev = nullptr;
  ListNode* next = nullptr;

  bool linked() const noexcept { return next != nullptr; }
  void unlink() noexcept {
    if (next == nullptr)
      return;
    prev->next = next;
    next->prev = prev;
    prev = next = nullptr;
  }
};

template <class T>
class IntrusiveList {
public:
  IntrusiveList() noexcept { head_.prev = head_.next = &head_; }
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;

  bool empty() const noexcept { return head_.next == &head_; }
  void push_back(T& item) noexcept {
    ListNode& node = item;
    node.prev = head_.prev;
    node.next = &head_;
    head_.prev->next = &node;
    head_.prev = &node;
  }
  T* front() noexcept { return empty() ? nullptr : static_cast<T*>(head_.next); }
  // Visits every item; `visit` may unlink the item it is given.
  template <class Visit>
  void for_each(Visit visit) {
    for (ListNode* node = head_.next; node != &head_;) {
      ListNode* next = node->next;
      visit(*static_cast<T*>(node));
      node = next;
    }
  }
  T* pop_front() noexcept {
    T* item = front();
    if (item != nullptr)
      static_cast<ListNode*>(item)->unlink();
    return item;
  }

private:
  ListNode head_;
};

} // namespace taskfit::detail
