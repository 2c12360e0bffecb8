// The loop-side state of one spawned task (asyncio.Task): cancellation requests, the suspension
// point it is parked at, and who waits for it to finish. Shared by every awaitable of the runtime.
#pragma once

#include "taskfit/runtime/detail/intrusive_list.hpp"

#include <coroutine>
#include <exception>
#include <memory>

namespace taskfit {
class EventLoop;
}

namespace taskfit::detail {

// A suspension point that can be abandoned: cancel_wait() leaves the wait queue it is parked in
// and reschedules its task, whose await_resume then throws CancelledError.
class CancellableWait {
public:
  virtual void cancel_wait() noexcept = 0;

protected:
  ~CancellableWait() = default;
};

class TaskCore;

// Notified (on the loop thread) when a task has finished; unlinks itself to stop waiting.
struct DoneWaiter : ListNode {
  virtual void on_task_done(TaskCore& task) noexcept = 0;

protected:
  ~DoneWaiter() = default;
};

class TaskCore : public ListNode {
public:
  explicit TaskCore(EventLoop& loop) noexcept : loop(loop) {}
  TaskCore(const TaskCore&) = delete;
  TaskCore& operator=(const TaskCore&) = delete;
  virtual ~TaskCore() = default;

  EventLoop& loop;
  CancellableWait* waiting = nullptr; // the suspension point the task is parked at, if any
  bool cancel_requested = false;      // delivered at the next suspension point
  bool started = false;
  bool finished = false;
  bool ended_cancelled = false; // finished by CancelledError (or cancelled before it started)
  bool ended_failed = false;    // finished by any exception, CancelledError included
  IntrusiveList<DoneWaiter> done_waiters;
  int references = 0; // handles plus the loop's own while unfinished; loop thread only

  // Consumes a pending cancellation request so that exactly one suspension point reports it.
  bool take_cancel_request() noexcept {
    bool requested = cancel_requested;
    cancel_requested = false;
    return requested;
  }
  // Python's Task.cancel(): false when the task has already finished.
  bool request_cancel() noexcept;

  virtual std::coroutine_handle<> root() noexcept = 0;
  // Keeps the outcome of the finished root coroutine (or a CancelledError when it never ran) and
  // frees the coroutine frame.
  virtual void take_outcome(bool cancelled_before_start) noexcept = 0;
  // After finishing: the exception it ended with, or null.
  virtual std::exception_ptr error() const noexcept = 0;

  void add_reference() noexcept { ++references; }
  void release() noexcept {
    if (--references == 0)
      delete this;
  }
  // Called by the loop once the root coroutine reached its final suspension point.
  void complete(bool cancelled_before_start) noexcept;
};

// The task whose step is running on this thread's event loop; null outside a task.
TaskCore* current_task_core() noexcept;
// Like current_task_core() but throws std::logic_error naming the awaitable when called outside a
// taskfit coroutine running on an EventLoop.
TaskCore& require_task_core(const char* awaitable);
// Queues a resumption of a suspended coroutine of `core` on its loop (loop thread only).
void schedule_resume(TaskCore& core, std::coroutine_handle<> handle);
struct TimerNode;
// Deadlines on the loop's timer heap (loop thread only).
void add_timer(EventLoop& loop, TimerNode& timer);
void remove_timer(EventLoop& loop, TimerNode& timer) noexcept;
// Resumes a parked task: clears its waiting slot and queues it.
inline void wake(TaskCore& core, std::coroutine_handle<> handle) {
  core.waiting = nullptr;
  schedule_resume(core, handle);
}

// A parked task in a wait queue (Event, Lock, Semaphore, Queue...).
struct WaitNode : ListNode, CancellableWait {
  TaskCore* core = nullptr;
  std::coroutine_handle<> handle;
  bool cancelled = false;
  void cancel_wait() noexcept override {
    unlink();
    cancelled = true;
    wake(*core, handle);
  }
};

using WaitList = IntrusiveList<WaitNode>;

// Wakes the first parked task of `waiters`; false when none is parked.
inline bool wake_first(WaitList& waiters) {
  WaitNode* node = waiters.pop_front();
  if (node == nullptr)
    return false;
  wake(*node->core, node->handle);
  return true;
}
inline void wake_all(WaitList& waiters) {
  while (wake_first(waiters)) {
  }
}

// Awaiter that parks the current task in a wait list until woken, or throws CancelledError when
// the task is cancelled first. Callers check their condition before awaiting it.
class ParkIn {
public:
  explicit ParkIn(WaitList& waiters) noexcept : waiters_(waiters) {}
  ParkIn(const ParkIn&) = delete;
  ParkIn& operator=(const ParkIn&) = delete;
  ~ParkIn() { node_.unlink(); }

  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> handle) {
    TaskCore& core = require_task_core("a taskfit wait");
    if (core.take_cancel_request()) {
      node_.cancelled = true;
      return false;
    }
    node_.core = &core;
    node_.handle = handle;
    waiters_.push_back(node_);
    core.waiting = &node_;
    return true;
  }
  void await_resume() const;

private:
  WaitList& waiters_;
  WaitNode node_;
};

} // namespace taskfit::detail
