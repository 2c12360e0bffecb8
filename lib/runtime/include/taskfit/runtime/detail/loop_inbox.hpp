// The one thread-safe door into an event loop: callbacks posted from other threads (future
// completions, to_thread results, call_soon_threadsafe). Shared so that a late post after the
// loop is gone is dropped instead of touching freed memory.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace taskfit::detail {

class FutureStateBase;

class LoopInbox {
public:
  explicit LoopInbox(int wake_fd) noexcept : wake_fd_(wake_fd) {}

  // Queues `callback` to run on the loop thread; false (and the callback dropped) once closed.
  bool post(std::function<void()> callback);
  // Loop side: takes everything posted so far.
  void drain(std::vector<std::function<void()>>& into);
  bool has_posts() const noexcept { return notified_.load(std::memory_order_acquire); }
  // Loop side: a task awaits a future another thread or process completes, so the loop spins a
  // while before it sleeps (see spin.hpp), and meanwhile polls the futures that can be polled (a
  // process pool's: it reads the worker's answer itself). Touched on the loop thread only.
  void expect_post(std::shared_ptr<FutureStateBase> pollable) {
    ++expected_;
    if (pollable)
      pollable_.push_back(std::move(pollable));
  }
  void expected_post_arrived(const FutureStateBase* pollable) noexcept {
    --expected_;
    if (pollable != nullptr)
      std::erase_if(pollable_, [&](const auto& state) { return state.get() == pollable; });
  }
  const std::vector<std::shared_ptr<FutureStateBase>>& pollable() const noexcept {
    return pollable_;
  }
  bool expecting_posts() const noexcept { return expected_ > 0; }
  // Loop side, at destruction: later posts are refused.
  void close();

private:
  std::mutex mutex_;
  std::vector<std::function<void()>> posted_;
  std::atomic<bool> notified_{false}; // a wake-up is on its way; avoids one write per post
  int wake_fd_;
  bool closed_ = false;
  std::size_t expected_ = 0;
  std::vector<std::shared_ptr<FutureStateBase>> pollable_;
};

// The inbox of the event loop running on this thread; throws std::logic_error without one.
std::shared_ptr<LoopInbox> current_loop_inbox();

} // namespace taskfit::detail
