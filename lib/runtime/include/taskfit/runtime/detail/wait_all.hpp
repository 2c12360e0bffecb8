// Parks a task until a set of spawned tasks has finished, or the first of them failed, or a
// deadline passed. The building block of gather, wait_for and TaskGroup: cancelling the waiting
// task cancels the awaited ones and keeps waiting until they have ended.
#pragma once

#include "taskfit/runtime/detail/task_core.hpp"
#include "taskfit/runtime/detail/timer.hpp"

#include <chrono>
#include <coroutine>
#include <memory>
#include <optional>
#include <vector>

namespace taskfit::detail {

class WaitAll final : public CancellableWait, public TimerNode {
public:
  enum class Outcome { all_done, first_failed, timed_out, cancelled };

  WaitAll(std::vector<TaskCore*> tasks, bool stop_on_failure,
          std::optional<std::chrono::nanoseconds> timeout = std::nullopt);
  WaitAll(const WaitAll&) = delete;
  WaitAll& operator=(const WaitAll&) = delete;
  ~WaitAll();

  bool await_ready() const noexcept { return satisfied(); }
  bool await_suspend(std::coroutine_handle<> handle);
  Outcome await_resume() const noexcept;

  void cancel_wait() noexcept override;
  void fire() noexcept override;

  // The first awaited task that failed, in completion order (null when none did).
  TaskCore* first_failed() const noexcept { return first_failed_; }

private:
  struct Watch final : DoneWaiter {
    WaitAll* owner = nullptr;
    void on_task_done(TaskCore& task) noexcept override { owner->child_done(task); }
  };
  bool satisfied() const noexcept;
  void child_done(TaskCore& task) noexcept;
  void resume_waiter() noexcept;

  std::vector<TaskCore*> tasks_;
  std::unique_ptr<Watch[]> watches_;
  std::optional<std::chrono::nanoseconds> timeout_;
  TaskCore* waiter_ = nullptr;
  std::coroutine_handle<> handle_;
  TaskCore* first_failed_ = nullptr;
  std::size_t unfinished_ = 0;
  bool stop_on_failure_;
  bool parked_ = false;
  bool timed_out_ = false;
  bool cancelled_ = false;
};

} // namespace taskfit::detail
