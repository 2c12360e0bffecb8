#include "taskfit/runtime/detail/loop_inbox.hpp"

#include <cstdint>
#include <unistd.h>
#include <utility>

namespace taskfit::detail {

bool LoopInbox::post(std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      return false;
    posted_.push_back(std::move(callback));
    if (notified_.exchange(true, std::memory_order_acq_rel))
      return true;
    // Written under the lock so close() cannot free the fd in between.
    std::uint64_t one = 1;
    [[maybe_unused]] auto ignored = ::write(wake_fd_, &one, sizeof one);
  }
  return true;
}

void LoopInbox::drain(std::vector<std::function<void()>>& into) {
  std::lock_guard lock(mutex_);
  notified_.store(false, std::memory_order_release);
  into.swap(posted_);
}

void LoopInbox::close() {
  // Destroyed once the lock is released: a callback's captures may post to this inbox as they go.
  std::vector<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    dropped.swap(posted_);
  }
}

} // namespace taskfit::detail
