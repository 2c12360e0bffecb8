// sleep() and yield(): the loop's timed and immediate suspension points (asyncio.sleep).
#pragma once

#include "taskfit/runtime/detail/task_core.hpp"
#include "taskfit/runtime/detail/timer.hpp"

#include <chrono>
#include <coroutine>

namespace taskfit {

namespace detail {

class SleepAwaiter final : public TimerNode, public CancellableWait {
public:
  explicit SleepAwaiter(std::chrono::nanoseconds delay) noexcept : delay_(delay) {}
  SleepAwaiter(const SleepAwaiter&) = delete;
  SleepAwaiter& operator=(const SleepAwaiter&) = delete;
  ~SleepAwaiter();

  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> handle);
  void await_resume() const;
  void fire() noexcept override;
  void cancel_wait() noexcept override;

private:
  std::chrono::nanoseconds delay_;
  TaskCore* core_ = nullptr;
  std::coroutine_handle<> handle_;
  bool cancelled_ = false;
};

class YieldAwaiter {
public:
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> handle);
  void await_resume() const;

private:
  TaskCore* core_ = nullptr;
};

} // namespace detail

// Suspends the current task for `delay`; a cancellation point (CancelledError).
inline detail::SleepAwaiter sleep(std::chrono::nanoseconds delay) noexcept {
  return detail::SleepAwaiter(delay);
}
// Lets every other ready task run once, then continues (asyncio.sleep(0)); a cancellation point.
// The preemption point to put inside long loops that run on the event loop.
inline detail::YieldAwaiter yield() noexcept {
  return {};
}

} // namespace taskfit
