#include "taskfit/runtime/detail/timer.hpp"

namespace taskfit::detail {

void TimerHeap::push(TimerNode& node) {
  node.sequence = next_sequence_++;
  nodes_.push_back(&node);
  node.heap_index = nodes_.size() - 1;
  sift_up(node.heap_index);
}

void TimerHeap::remove(TimerNode& node) noexcept {
  if (!node.scheduled())
    return;
  const std::size_t index = node.heap_index;
  TimerNode* last = nodes_.back();
  nodes_.pop_back();
  node.heap_index = static_cast<std::size_t>(-1);
  if (last == &node)
    return;
  place(index, last);
  sift_up(index);
  sift_down(last->heap_index);
}

void TimerHeap::sift_up(std::size_t index) noexcept {
  TimerNode* node = nodes_[index];
  while (index > 0) {
    std::size_t parent = (index - 1) / 2;
    if (!earlier(node, nodes_[parent]))
      break;
    place(index, nodes_[parent]);
    index = parent;
  }
  place(index, node);
}

void TimerHeap::sift_down(std::size_t index) noexcept {
  TimerNode* node = nodes_[index];
  const std::size_t size = nodes_.size();
  for (;;) {
    std::size_t child = 2 * index + 1;
    if (child >= size)
      break;
    if (child + 1 < size && earlier(nodes_[child + 1], nodes_[child]))
      ++child;
    if (!earlier(nodes_[child], node))
      break;
    place(index, nodes_[child]);
    index = child;
  }
  place(index, node);
}

} // namespace taskfit::detail
