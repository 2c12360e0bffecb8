// EventLoop: the asyncio model. One thread runs many tasks that suspend at co_await instead of
// blocking; epoll by default, io_uring when asked for and allowed by the kernel.
#pragma once

#include "taskfit/runtime/detail/task_core.hpp"
#include "taskfit/runtime/detail/task_done_awaiter.hpp"
#include "taskfit/runtime/errors.hpp"
#include "taskfit/runtime/task.hpp"

#include <chrono>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace taskfit {

template <class T>
class TaskHandle;

namespace detail {

// A spawned Task<T> and, once it finished, its outcome.
template <class T>
class SpawnedTask final : public TaskCore {
public:
  SpawnedTask(EventLoop& loop, Task<T> task) noexcept : TaskCore(loop), task_(std::move(task)) {}

  std::coroutine_handle<> root() noexcept override { return task_.handle(); }
  void take_outcome(bool cancelled_before_start) noexcept override {
    if (cancelled_before_start) {
      error_ = std::make_exception_ptr(CancelledError());
    } else {
      try {
        if constexpr (std::is_void_v<T>) {
          task_.handle().promise().take_result();
          value_.emplace();
        } else {
          value_.emplace(task_.handle().promise().take_result());
        }
      } catch (...) {
        error_ = std::current_exception();
      }
    }
    task_ = {}; // free the frame now rather than when the last handle goes
    if (error_) {
      ended_failed = true;
      try {
        std::rethrow_exception(error_);
      } catch (const CancelledError&) {
        ended_cancelled = true;
      } catch (...) {
      }
    }
  }

  std::exception_ptr error() const noexcept override { return error_; }
  auto& value() noexcept { return *value_; }

private:
  struct Unit {};
  Task<T> task_;
  std::optional<std::conditional_t<std::is_void_v<T>, Unit, T>> value_;
  std::exception_ptr error_;
};

} // namespace detail

class EventLoop {
public:
  enum class Backend {
    epoll,
    io_uring,  // falls back to epoll where the kernel or a sandbox forbids io_uring
    automatic, // io_uring when available, else epoll
  };
  struct Options {
    // Default: epoll, or the TASKFIT_EVENT_LOOP_BACKEND environment variable (epoll|io_uring|auto).
    std::optional<Backend> backend;
  };

  EventLoop() : EventLoop(Options{}) {}
  explicit EventLoop(Options options);
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  // Frees the frames of tasks that never finished, newest first, without resuming them.
  ~EventLoop();

  // The loop running on this thread (inside run_until_complete / run_forever), else null.
  static EventLoop* current() noexcept;
  // The backend in use (after any fallback).
  Backend backend() const noexcept;

  // Schedules `task` to start on the next loop iteration (asyncio.create_task).
  template <class T>
  TaskHandle<T> spawn(Task<T> task);

  // Runs the loop until `task` is done and returns its result or rethrows its exception.
  template <class T>
  T run_until_complete(Task<T> task);

  // Cancels every unfinished task and runs the loop until they have all ended.
  void cancel_all_and_wait();

  // Callbacks run on the loop thread in FIFO order with the tasks' steps.
  void call_soon(std::function<void()> callback);
  // The only EventLoop member safe to call from other threads; false once the loop is destroyed.
  bool call_soon_threadsafe(std::function<void()> callback);
  void call_later(std::chrono::nanoseconds delay, std::function<void()> callback);

  void run_forever(); // until stop()
  void stop();

  std::size_t unfinished_tasks() const noexcept;

  struct Impl;
  Impl& impl() noexcept { return *impl_; }

private:
  void adopt(detail::TaskCore& core);
  void run_until_done(detail::TaskCore& core);

  std::unique_ptr<Impl> impl_;
};

// A spawned task (asyncio.Task): awaitable, cancellable, inspectable. Copies share the task; the
// task keeps running when every handle is gone. Use on the loop thread only.
template <class T>
class TaskHandle {
public:
  TaskHandle() = default;
  TaskHandle(const TaskHandle& other) noexcept : task_(other.task_) { acquire(); }
  TaskHandle(TaskHandle&& other) noexcept : task_(std::exchange(other.task_, nullptr)) {}
  TaskHandle& operator=(TaskHandle other) noexcept {
    std::swap(task_, other.task_);
    return *this;
  }
  ~TaskHandle() {
    if (task_ != nullptr)
      task_->release();
  }

  bool valid() const noexcept { return task_ != nullptr; }
  bool done() const noexcept { return task_->finished; }
  bool cancelled() const noexcept { return task_->finished && task_->ended_cancelled; }
  // Requests cancellation: CancelledError is thrown into the task at its next suspension point
  // (or it never starts). False when the task has already finished.
  bool cancel() noexcept { return task_->request_cancel(); }

  // The result once done (InvalidStateError before); rethrows the task's exception.
  decltype(auto) result() const {
    if (!task_->finished)
      throw InvalidStateError("taskfit: task result is not ready");
    if (task_->error())
      std::rethrow_exception(task_->error());
    if constexpr (std::is_void_v<T>)
      return;
    else
      return static_cast<T&>(task_->value());
  }
  std::exception_ptr exception() const {
    if (!task_->finished)
      throw InvalidStateError("taskfit: task exception is not ready");
    return task_->error();
  }

  class Awaiter : public detail::TaskDoneAwaiterBase {
  public:
    explicit Awaiter(detail::SpawnedTask<T>& task) noexcept
        : TaskDoneAwaiterBase(task), task_(task) {}
    decltype(auto) await_resume() const {
      throw_if_cancelled();
      if (task_.error())
        std::rethrow_exception(task_.error());
      if constexpr (std::is_void_v<T>)
        return;
      else
        return static_cast<T&>(task_.value());
    }

  private:
    detail::SpawnedTask<T>& task_;
  };
  Awaiter operator co_await() const noexcept { return Awaiter(*task_); }

  detail::SpawnedTask<T>* core() const noexcept { return task_; }

private:
  friend class EventLoop;
  explicit TaskHandle(detail::SpawnedTask<T>* task) noexcept : task_(task) { acquire(); }
  void acquire() noexcept {
    if (task_ != nullptr)
      task_->add_reference();
  }
  detail::SpawnedTask<T>* task_ = nullptr;
};

template <class T>
TaskHandle<T> EventLoop::spawn(Task<T> task) {
  auto* core = new detail::SpawnedTask<T>(*this, std::move(task));
  adopt(*core);
  return TaskHandle<T>(core);
}

template <class T>
T EventLoop::run_until_complete(Task<T> task) {
  TaskHandle<T> handle = spawn(std::move(task));
  run_until_done(*handle.core());
  if constexpr (std::is_void_v<T>)
    handle.result();
  else
    return std::move(handle.result());
}

// Spawns on the loop running this thread (throws std::logic_error outside a running loop).
template <class T>
TaskHandle<T> spawn(Task<T> task) {
  EventLoop* loop = EventLoop::current();
  if (loop == nullptr)
    throw std::logic_error("taskfit::spawn needs a running EventLoop (inside taskfit::run)");
  return loop->spawn(std::move(task));
}

// asyncio.run: a fresh loop runs `main` to completion, then cancels and awaits the tasks left over.
template <class T>
T run(Task<T> main, EventLoop::Options options = {}) {
  EventLoop loop(options);
  struct CleanUp {
    EventLoop& loop;
    ~CleanUp() { loop.cancel_all_and_wait(); }
  } clean_up{loop};
  return loop.run_until_complete(std::move(main));
}

} // namespace taskfit
