// Semaphore: asyncio.Semaphore. Limits how many tasks use a resource at once (e.g. connections).
#pragma once

#include "taskfit/runtime/detail/task_core.hpp"

#include <coroutine>
#include <cstddef>
#include <utility>

namespace taskfit {

class Semaphore {
public:
  explicit Semaphore(std::size_t value = 1) noexcept : value_(value) {}

  std::size_t value() const noexcept { return value_; }
  bool locked() const noexcept { return value_ == 0; }
  bool try_acquire() noexcept {
    if (value_ == 0)
      return false;
    --value_;
    return true;
  }
  // Hands the unit straight to the first waiter, so a late arrival cannot overtake it.
  void release() {
    if (!detail::wake_first(waiters_))
      ++value_;
  }

  class Awaiter {
  public:
    explicit Awaiter(Semaphore& semaphore) noexcept
        : semaphore_(semaphore), park_(semaphore.waiters_) {}
    bool await_ready() noexcept { return semaphore_.waiters_.empty() && semaphore_.try_acquire(); }
    bool await_suspend(std::coroutine_handle<> handle) { return park_.await_suspend(handle); }
    void await_resume() const { park_.await_resume(); }

  private:
    Semaphore& semaphore_;
    detail::ParkIn park_;
  };
  // co_await semaphore.acquire(); ... semaphore.release(). CancelledError leaves it unacquired.
  Awaiter acquire() noexcept { return Awaiter(*this); }

  // Releases on destruction: auto guard = co_await semaphore.scoped();
  class Guard {
  public:
    explicit Guard(Semaphore& semaphore) noexcept : semaphore_(&semaphore) {}
    Guard(Guard&& other) noexcept : semaphore_(std::exchange(other.semaphore_, nullptr)) {}
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard() {
      if (semaphore_ != nullptr)
        semaphore_->release();
    }

  private:
    Semaphore* semaphore_;
  };
  class ScopedAwaiter : public Awaiter {
  public:
    explicit ScopedAwaiter(Semaphore& semaphore) noexcept : Awaiter(semaphore), owner_(semaphore) {}
    Guard await_resume() const {
      Awaiter::await_resume();
      return Guard(owner_);
    }

  private:
    Semaphore& owner_;
  };
  ScopedAwaiter scoped() noexcept { return ScopedAwaiter(*this); }

private:
  std::size_t value_;
  detail::WaitList waiters_;
};

} // namespace taskfit
