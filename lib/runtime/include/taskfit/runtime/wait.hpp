// wait() and as_completed(): Python's concurrent.futures.wait / as_completed over Futures.
#pragma once

#include "taskfit/runtime/future.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace taskfit {

enum class ReturnWhen { FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED };

template <class R>
struct WaitResult {
  std::vector<Future<R>> done;
  std::vector<Future<R>> not_done;
};

namespace detail {

// Collects completions signalled from any thread, in completion order.
class CompletionQueue {
public:
  void push(std::size_t index) {
    {
      std::lock_guard lock(mutex_);
      completed_.push_back(index);
    }
    ready_.notify_all();
  }
  // Next completed index, or nullopt when the deadline passes first.
  std::optional<std::size_t>
  pop_until(std::optional<std::chrono::steady_clock::time_point> deadline) {
    std::unique_lock lock(mutex_);
    auto available = [&] { return !completed_.empty(); };
    if (deadline) {
      if (!ready_.wait_until(lock, *deadline, available))
        return std::nullopt;
    } else {
      ready_.wait(lock, available);
    }
    std::size_t index = completed_.front();
    completed_.pop_front();
    return index;
  }

private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::size_t> completed_;
};

template <class R>
std::shared_ptr<CompletionQueue> watch(std::span<const Future<R>> futures) {
  auto queue = std::make_shared<CompletionQueue>();
  for (std::size_t i = 0; i < futures.size(); ++i)
    futures[i].add_done_callback([queue, i] { queue->push(i); });
  return queue;
}

inline std::optional<std::chrono::steady_clock::time_point>
deadline_after(std::optional<std::chrono::nanoseconds> timeout) {
  if (!timeout)
    return std::nullopt;
  return std::chrono::steady_clock::now() + *timeout;
}

} // namespace detail

// Blocks until the condition holds or the timeout passes (no TimeoutError: inspect not_done).
template <class R>
WaitResult<R> wait(std::span<const Future<R>> futures,
                   ReturnWhen return_when = ReturnWhen::ALL_COMPLETED,
                   std::optional<std::chrono::nanoseconds> timeout = std::nullopt) {
  auto queue = detail::watch(futures);
  auto deadline = detail::deadline_after(timeout);
  std::vector<bool> finished(futures.size(), false);
  std::size_t finished_count = 0;
  while (finished_count < futures.size()) {
    auto index = queue->pop_until(deadline);
    if (!index)
      break;
    finished[*index] = true;
    ++finished_count;
    if (return_when == ReturnWhen::FIRST_COMPLETED)
      break;
    if (return_when == ReturnWhen::FIRST_EXCEPTION && !futures[*index].cancelled() &&
        futures[*index].exception() != nullptr)
      break;
  }
  WaitResult<R> result;
  for (std::size_t i = 0; i < futures.size(); ++i)
    (finished[i] || futures[i].done() ? result.done : result.not_done).push_back(futures[i]);
  return result;
}

template <class R>
WaitResult<R> wait(const std::vector<Future<R>>& futures,
                   ReturnWhen return_when = ReturnWhen::ALL_COMPLETED,
                   std::optional<std::chrono::nanoseconds> timeout = std::nullopt) {
  return wait(std::span<const Future<R>>(futures), return_when, timeout);
}

// Yields futures as they complete. Iterating past the timeout throws TimeoutError.
template <class R>
class AsCompleted {
public:
  AsCompleted(std::vector<Future<R>> futures, std::optional<std::chrono::nanoseconds> timeout)
      : futures_(std::move(futures)), queue_(detail::watch(std::span<const Future<R>>(futures_))),
        deadline_(detail::deadline_after(timeout)) {}

  class iterator {
  public:
    using value_type = Future<R>;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(AsCompleted* owner) : owner_(owner) { advance(); }
    const Future<R>& operator*() const { return owner_->futures_[current_]; }
    iterator& operator++() {
      advance();
      return *this;
    }
    void operator++(int) { advance(); }
    friend bool operator==(const iterator& it, std::default_sentinel_t) {
      return it.owner_ == nullptr;
    }

  private:
    void advance() {
      if (owner_->yielded_ == owner_->futures_.size()) {
        owner_ = nullptr;
        return;
      }
      auto index = owner_->queue_->pop_until(owner_->deadline_);
      if (!index)
        throw TimeoutError("taskfit: as_completed timed out with futures still pending");
      ++owner_->yielded_;
      current_ = *index;
    }
    AsCompleted* owner_ = nullptr;
    std::size_t current_ = 0;
  };

  iterator begin() { return iterator(this); }
  std::default_sentinel_t end() const { return {}; }

private:
  std::vector<Future<R>> futures_;
  std::shared_ptr<detail::CompletionQueue> queue_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  std::size_t yielded_ = 0;
};

template <class R>
AsCompleted<R> as_completed(std::vector<Future<R>> futures,
                            std::optional<std::chrono::nanoseconds> timeout = std::nullopt) {
  return AsCompleted<R>(std::move(futures), timeout);
}

} // namespace taskfit
