// TaskGroup: asyncio.TaskGroup, structured concurrency. Tasks spawned in the group are awaited
// together by co_await group.wait(); the first failure cancels the siblings, and every failure
// (CancelledError excepted) comes back in one ExceptionGroup.
//
// Differences from asyncio: C++ has no async destructor, so wait() must be awaited explicitly;
// and a failure does not cancel the parent's own body (it learns of it at wait()), so the parent's
// frame is never unwound while children may still use it.
#pragma once

#include "taskfit/runtime/detail/task_core.hpp"
#include "taskfit/runtime/event_loop.hpp"
#include "taskfit/runtime/task.hpp"

#include <exception>
#include <memory>
#include <vector>

namespace taskfit {

class TaskGroup {
public:
  TaskGroup() = default;
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;
  // Cancels children that were never awaited with wait() (a misuse: they may outlive the frame).
  ~TaskGroup();

  template <class T>
  TaskHandle<T> spawn(Task<T> task) {
    TaskHandle<T> handle = taskfit::spawn(std::move(task));
    watch(*handle.core());
    if (!errors_.empty())
      handle.cancel(); // the group is already failing: new work is refused the same way
    return handle;
  }

  // Waits for every child. Throws ExceptionGroup when any failed; CancelledError when the waiting
  // task is cancelled (the children are cancelled and awaited first).
  Task<void> wait();

  std::size_t running() const noexcept { return running_; }

private:
  struct Child final : detail::DoneWaiter {
    TaskGroup* group = nullptr;
    detail::TaskCore* task = nullptr;
    void on_task_done(detail::TaskCore& task) noexcept override { group->child_done(task); }
  };
  void watch(detail::TaskCore& task);
  void child_done(detail::TaskCore& task) noexcept;
  void cancel_children() noexcept;

  std::vector<std::unique_ptr<Child>> children_;
  std::vector<std::exception_ptr> errors_;
  detail::WaitList joiners_;
  std::size_t running_ = 0;
};

} // namespace taskfit
