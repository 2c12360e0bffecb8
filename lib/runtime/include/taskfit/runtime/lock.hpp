// Lock: asyncio.Lock, a mutex for tasks of one loop. Holding it across co_await is its purpose;
// a std::mutex there would block the whole loop.
#pragma once

#include "taskfit/runtime/semaphore.hpp"

#include <stdexcept>

namespace taskfit {

class Lock {
public:
  bool locked() const noexcept { return state_.locked(); }
  bool try_acquire() noexcept { return state_.try_acquire(); }
  // Throws std::logic_error when not locked (Python's RuntimeError).
  void release() {
    if (!locked())
      throw std::logic_error("taskfit::Lock::release: the lock is not acquired");
    state_.release();
  }
  // co_await lock.acquire(); ... lock.release();
  Semaphore::Awaiter acquire() noexcept { return state_.acquire(); }
  // auto guard = co_await lock.scoped(); releases when guard goes out of scope.
  Semaphore::ScopedAwaiter scoped() noexcept { return state_.scoped(); }

private:
  Semaphore state_{1};
};

} // namespace taskfit
