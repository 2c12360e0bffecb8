#include "taskfit/runtime/sleep.hpp"

#include "taskfit/runtime/errors.hpp"

namespace taskfit::detail {

SleepAwaiter::~SleepAwaiter() {
  if (scheduled() && core_ != nullptr)
    remove_timer(core_->loop, *this);
}

bool SleepAwaiter::await_suspend(std::coroutine_handle<> handle) {
  TaskCore& core = require_task_core("taskfit::sleep");
  if (core.take_cancel_request()) {
    cancelled_ = true;
    return false;
  }
  core_ = &core;
  handle_ = handle;
  if (delay_ <= std::chrono::nanoseconds::zero()) {
    schedule_resume(core, handle); // sleep(0) is a plain yield
    return true;
  }
  deadline = Clock::now() + delay_;
  add_timer(core.loop, *this);
  core.waiting = this;
  return true;
}

void SleepAwaiter::await_resume() const {
  if (cancelled_)
    throw CancelledError();
  if (core_ != nullptr && delay_ <= std::chrono::nanoseconds::zero() &&
      core_->take_cancel_request())
    throw CancelledError();
}

void SleepAwaiter::fire() noexcept {
  wake(*core_, handle_);
}

void SleepAwaiter::cancel_wait() noexcept {
  remove_timer(core_->loop, *this);
  cancelled_ = true;
  wake(*core_, handle_);
}

void YieldAwaiter::await_suspend(std::coroutine_handle<> handle) {
  core_ = &require_task_core("taskfit::yield");
  schedule_resume(*core_, handle);
}

void YieldAwaiter::await_resume() const {
  if (core_ != nullptr && core_->take_cancel_request())
    throw CancelledError();
}

} // namespace taskfit::detail
