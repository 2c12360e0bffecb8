#include "taskfit/runtime/task_group.hpp"

#include "taskfit/runtime/errors.hpp"

namespace taskfit {

TaskGroup::~TaskGroup() {
  cancel_children();
  for (auto& child : children_) {
    child->unlink();
    child->task->release();
  }
}

void TaskGroup::watch(detail::TaskCore& task) {
  auto child = std::make_unique<Child>();
  child->group = this;
  child->task = &task;
  task.add_reference();
  task.done_waiters.push_back(*child);
  children_.push_back(std::move(child));
  ++running_;
}

void TaskGroup::child_done(detail::TaskCore& task) noexcept {
  --running_;
  if (task.ended_failed && !task.ended_cancelled) {
    const bool first_failure = errors_.empty();
    try {
      errors_.push_back(task.error());
    } catch (...) {
      // Out of memory while recording: the group still fails through the cancelled siblings.
    }
    if (first_failure)
      cancel_children();
  }
  if (running_ == 0)
    detail::wake_all(joiners_);
}

void TaskGroup::cancel_children() noexcept {
  for (auto& child : children_)
    if (!child->task->finished)
      child->task->request_cancel();
}

Task<void> TaskGroup::wait() {
  bool cancelled = false;
  while (running_ > 0) {
    try {
      co_await detail::ParkIn(joiners_);
    } catch (const CancelledError&) {
      cancelled = true;
    }
    if (cancelled)
      cancel_children();
  }
  if (cancelled)
    throw CancelledError();
  if (!errors_.empty())
    throw ExceptionGroup(std::move(errors_));
}

} // namespace taskfit
