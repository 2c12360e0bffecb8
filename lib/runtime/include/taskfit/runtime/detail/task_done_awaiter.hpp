// `co_await handle` on a TaskHandle<T>, but for the result: what does not depend on T is compiled
// once, in the runtime, and TaskHandle<T>::Awaiter adds await_resume.
#pragma once

#include "taskfit/runtime/detail/task_core.hpp"
#include "taskfit/runtime/errors.hpp"

#include <coroutine>

namespace taskfit::detail {

// co_await handle: waits for a spawned task. Cancelling the waiter cancels the awaited task and
// still waits for it to end, so no task outlives the frames it may reference.
class TaskDoneAwaiterBase : public DoneWaiter, public CancellableWait {
public:
  explicit TaskDoneAwaiterBase(TaskCore& awaited) noexcept : awaited_(awaited) {}
  TaskDoneAwaiterBase(const TaskDoneAwaiterBase&) = delete;
  TaskDoneAwaiterBase& operator=(const TaskDoneAwaiterBase&) = delete;
  ~TaskDoneAwaiterBase() { unlink(); }

  bool await_ready() const noexcept { return awaited_.finished; }
  bool await_suspend(std::coroutine_handle<> handle);
  void on_task_done(TaskCore&) noexcept override { wake(*waiter_, handle_); }
  void cancel_wait() noexcept override;

protected:
  void throw_if_cancelled() const {
    if (cancel_forwarded_)
      throw CancelledError();
  }

private:
  TaskCore& awaited_;
  TaskCore* waiter_ = nullptr;
  std::coroutine_handle<> handle_;
  bool cancel_forwarded_ = false;
};

} // namespace taskfit::detail
