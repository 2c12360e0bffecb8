// Queue<T>: asyncio.Queue, FIFO between producer and consumer tasks. Bounded: put() waits while
// the queue is full, which is the back-pressure that keeps a fast producer from running away.
#pragma once

#include "taskfit/runtime/detail/task_core.hpp"
#include "taskfit/runtime/errors.hpp"
#include "taskfit/runtime/task.hpp"

#include <cstddef>
#include <deque>
#include <stdexcept>
#include <utility>

namespace taskfit {

template <class T>
class Queue {
public:
  // maxsize 0: unbounded (Python's default).
  explicit Queue(std::size_t maxsize = 0) : maxsize_(maxsize) {}
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  std::size_t size() const noexcept { return items_.size(); }
  std::size_t maxsize() const noexcept { return maxsize_; }
  bool empty() const noexcept { return items_.empty(); }
  bool full() const noexcept { return maxsize_ != 0 && items_.size() >= maxsize_; }

  Task<void> put(T item) {
    while (full())
      co_await detail::ParkIn(putters_);
    put_nowait(std::move(item));
  }
  Task<T> get() {
    while (empty())
      co_await detail::ParkIn(getters_);
    co_return get_nowait();
  }
  void put_nowait(T item) {
    if (full())
      throw QueueFull();
    items_.push_back(std::move(item));
    ++unfinished_;
    detail::wake_first(getters_);
  }
  T get_nowait() {
    if (empty())
      throw QueueEmpty();
    T item = std::move(items_.front());
    items_.pop_front();
    detail::wake_first(putters_);
    return item;
  }

  // A consumer finished with an item it got; join() returns once every put item is done.
  void task_done() {
    if (unfinished_ == 0)
      throw std::logic_error("taskfit::Queue::task_done called more times than items were put");
    if (--unfinished_ == 0)
      detail::wake_all(joiners_);
  }
  Task<void> join() {
    while (unfinished_ > 0)
      co_await detail::ParkIn(joiners_);
  }

private:
  std::size_t maxsize_;
  std::size_t unfinished_ = 0;
  std::deque<T> items_;
  detail::WaitList getters_;
  detail::WaitList putters_;
  detail::WaitList joiners_;
};

} // namespace taskfit
