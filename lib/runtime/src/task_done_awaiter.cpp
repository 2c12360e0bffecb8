#include "taskfit/runtime/detail/task_done_awaiter.hpp"

namespace taskfit::detail {

bool TaskDoneAwaiterBase::await_suspend(std::coroutine_handle<> handle) {
  TaskCore& core = require_task_core("co_await TaskHandle");
  waiter_ = &core;
  handle_ = handle;
  if (core.take_cancel_request()) {
    cancel_forwarded_ = true;
    awaited_.request_cancel();
    if (awaited_.finished)
      return false;
  } else {
    core.waiting = this;
  }
  awaited_.done_waiters.push_back(*this);
  return true;
}

void TaskDoneAwaiterBase::cancel_wait() noexcept {
  // Stay parked until the awaited task has ended; on_task_done() resumes us.
  cancel_forwarded_ = true;
  awaited_.request_cancel();
}

} // namespace taskfit::detail
