// Deadlines kept by the event loop in an indexed binary heap, so a cancelled sleep leaves the heap
// at once instead of lingering until it expires.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace taskfit::detail {

using Clock = std::chrono::steady_clock;

struct TimerNode {
  Clock::time_point deadline;
  std::uint64_t sequence = 0; // FIFO among equal deadlines
  std::size_t heap_index = static_cast<std::size_t>(-1);
  bool scheduled() const noexcept { return heap_index != static_cast<std::size_t>(-1); }
  virtual void fire() noexcept = 0;

protected:
  ~TimerNode() = default;
};

class TimerHeap {
public:
  bool empty() const noexcept { return nodes_.empty(); }
  TimerNode* top() const noexcept { return nodes_.front(); }
  void push(TimerNode& node);
  void remove(TimerNode& node) noexcept;

private:
  static bool earlier(const TimerNode* a, const TimerNode* b) noexcept {
    return a->deadline < b->deadline || (a->deadline == b->deadline && a->sequence < b->sequence);
  }
  void place(std::size_t index, TimerNode* node) noexcept {
    nodes_[index] = node;
    node->heap_index = index;
  }
  void sift_up(std::size_t index) noexcept;
  void sift_down(std::size_t index) noexcept;

  std::vector<TimerNode*> nodes_;
  std::uint64_t next_sequence_ = 0;
};

} // namespace taskfit::detail
