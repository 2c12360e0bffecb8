#include "taskfit/runtime/gather.hpp"

#include "taskfit/runtime/wait_for.hpp"

namespace taskfit::detail {

Task<TaskCore*> wait_for_all(std::vector<TaskCore*> tasks, bool settle_all) {
  WaitAll::Outcome outcome;
  TaskCore* failed = nullptr;
  {
    WaitAll first(tasks, !settle_all);
    outcome = co_await first;
    failed = first.first_failed();
  }
  if (outcome == WaitAll::Outcome::first_failed) {
    for (TaskCore* task : tasks)
      task->request_cancel();
    WaitAll rest(tasks, false);
    outcome = co_await rest;
  }
  if (outcome == WaitAll::Outcome::cancelled)
    throw CancelledError();
  co_return settle_all ? nullptr : failed;
}

Task<bool> finish_within(TaskCore* task, std::chrono::nanoseconds timeout) {
  WaitAll::Outcome outcome;
  {
    WaitAll in_time({task}, false, timeout);
    outcome = co_await in_time;
  }
  if (outcome == WaitAll::Outcome::all_done)
    co_return true;
  if (outcome == WaitAll::Outcome::timed_out) {
    task->request_cancel();
    WaitAll ended({task}, false);
    if (co_await ended == WaitAll::Outcome::cancelled)
      throw CancelledError();
    co_return false;
  }
  throw CancelledError(); // the waiter was cancelled; WaitAll already waited for the task to end
}

} // namespace taskfit::detail
