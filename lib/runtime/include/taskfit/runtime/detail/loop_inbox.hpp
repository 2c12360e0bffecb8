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

class LoopInbox {
public:
  explicit LoopInbox(int wake_fd) noexcept : wake_fd_(wake_fd) {}

  // Queues `callback` to run on the loop thread; false (and the callback dropped) once closed.
  bool post(std::function<void()> callback);
  // Loop side: takes everything posted so far.
  void drain(std::vector<std::function<void()>>& into);
  bool has_posts() const noexcept { return notified_.load(std::memory_order_acquire); }
  // Loop side, at destruction: later posts are refused.
  void close();

private:
  std::mutex mutex_;
  std::vector<std::function<void()>> posted_;
  std::atomic<bool> notified_{false}; // a wake-up is on its way; avoids one write per post
  int wake_fd_;
  bool closed_ = false;
};

// The inbox of the event loop running on this thread; throws std::logic_error without one.
std::shared_ptr<LoopInbox> current_loop_inbox();

} // namespace taskfit::detail
