#include "taskfit/runtime/detail/wait_all.hpp"

#include "taskfit/runtime/event_loop.hpp"

namespace taskfit::detail {

WaitAll::WaitAll(std::vector<TaskCore*> tasks, bool stop_on_failure,
                 std::optional<std::chrono::nanoseconds> timeout)
    : tasks_(std::move(tasks)), watches_(new Watch[tasks_.size()]), timeout_(timeout),
      stop_on_failure_(stop_on_failure) {
  for (TaskCore* task : tasks_) {
    if (!task->finished)
      ++unfinished_;
    else if (task->ended_failed && first_failed_ == nullptr)
      first_failed_ = task;
  }
}

WaitAll::~WaitAll() {
  for (std::size_t i = 0; i < tasks_.size(); ++i)
    watches_[i].unlink();
  if (scheduled() && waiter_ != nullptr)
    remove_timer(waiter_->loop, *this);
}

bool WaitAll::satisfied() const noexcept {
  return unfinished_ == 0 || (stop_on_failure_ && first_failed_ != nullptr);
}

bool WaitAll::await_suspend(std::coroutine_handle<> handle) {
  TaskCore& core = require_task_core("gather/wait_for/TaskGroup");
  waiter_ = &core;
  handle_ = handle;
  if (core.take_cancel_request()) {
    cancelled_ = true;
    stop_on_failure_ = false;
    for (TaskCore* task : tasks_)
      task->request_cancel();
    if (unfinished_ == 0)
      return false;
  } else {
    core.waiting = this;
    if (timeout_) {
      deadline = Clock::now() + *timeout_;
      add_timer(core.loop, *this);
    }
  }
  for (std::size_t i = 0; i < tasks_.size(); ++i) {
    if (!tasks_[i]->finished) {
      watches_[i].owner = this;
      tasks_[i]->done_waiters.push_back(watches_[i]);
    }
  }
  parked_ = true;
  return true;
}

WaitAll::Outcome WaitAll::await_resume() const noexcept {
  if (cancelled_)
    return Outcome::cancelled;
  if (timed_out_)
    return Outcome::timed_out;
  if (stop_on_failure_ && first_failed_ != nullptr)
    return Outcome::first_failed;
  return Outcome::all_done;
}

void WaitAll::child_done(TaskCore& task) noexcept {
  --unfinished_;
  if (task.ended_failed && first_failed_ == nullptr)
    first_failed_ = &task;
  if (parked_ && satisfied())
    resume_waiter();
}

void WaitAll::resume_waiter() noexcept {
  parked_ = false;
  for (std::size_t i = 0; i < tasks_.size(); ++i)
    watches_[i].unlink();
  if (scheduled())
    remove_timer(waiter_->loop, *this);
  wake(*waiter_, handle_);
}

void WaitAll::fire() noexcept {
  if (!parked_)
    return;
  timed_out_ = true;
  resume_waiter();
}

void WaitAll::cancel_wait() noexcept {
  // Keep waiting until the awaited tasks have observed their cancellation and ended.
  cancelled_ = true;
  stop_on_failure_ = false;
  if (scheduled())
    remove_timer(waiter_->loop, *this);
  for (TaskCore* task : tasks_)
    task->request_cancel();
  if (unfinished_ == 0 && parked_)
    resume_waiter();
}

} // namespace taskfit::detail
