// Task<T>: a lazy, move-only coroutine (asyncio's coroutine object). Nothing runs until it is
// co_awaited inside another Task, spawned, or given to taskfit::run().
#pragma once

#include "taskfit/runtime/detail/task_core.hpp"

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace taskfit {

template <class T = void>
class Task;

namespace detail {

// Why no symmetric transfer: GCC 12 miscompiles some await_suspend-returns-handle patterns, so a
// child task is started inline (await_suspend returns bool) and a child that finishes after
// suspending hands its parent back to the loop's ready queue.
class TaskPromiseBase {
public:
  std::suspend_always initial_suspend() const noexcept { return {}; }

  struct FinalAwaiter {
    TaskPromiseBase* promise;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<>) const noexcept {
      if (promise->starting_inline_ || !promise->continuation_)
        return; // the parent is still inside await_suspend, or this is a root (the loop sees it)
      schedule_resume(*promise->core_, promise->continuation_);
    }
    void await_resume() const noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return FinalAwaiter{this}; }
  void unhandled_exception() noexcept { error_ = std::current_exception(); }

  // Runs the child until its first suspension (or its end) on behalf of `parent`.
  // True when the parent must suspend because the child has not finished.
  bool start_as_child_of(std::coroutine_handle<> parent, std::coroutine_handle<> self) {
    continuation_ = parent;
    core_ = &require_task_core("co_await Task");
    starting_inline_ = true;
    self.resume();
    starting_inline_ = false;
    return !self.done();
  }
  std::exception_ptr error() const noexcept { return error_; }

private:
  std::coroutine_handle<> continuation_;
  TaskCore* core_ = nullptr;
  bool starting_inline_ = false;
  std::exception_ptr error_;
};

template <class T>
class TaskPromise final : public TaskPromiseBase {
public:
  Task<T> get_return_object() noexcept;
  template <class Value>
  void return_value(Value&& value) {
    value_.emplace(std::forward<Value>(value));
  }
  T take_result() {
    if (error())
      std::rethrow_exception(error());
    return std::move(*value_);
  }

private:
  std::optional<T> value_;
};

template <>
class TaskPromise<void> final : public TaskPromiseBase {
public:
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take_result() const {
    if (error())
      std::rethrow_exception(error());
  }
};

} // namespace detail

template <class T>
class [[nodiscard]] Task {
public:
  using promise_type = detail::TaskPromise<T>;
  using value_type = T;

  Task() = default;
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { destroy(); }

  bool valid() const noexcept { return static_cast<bool>(handle_); }

  class Awaiter {
  public:
    explicit Awaiter(std::coroutine_handle<promise_type> handle) noexcept : handle_(handle) {}
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> parent) {
      return handle_.promise().start_as_child_of(parent, handle_);
    }
    T await_resume() { return handle_.promise().take_result(); }

  private:
    std::coroutine_handle<promise_type> handle_;
  };
  // co_await on an rvalue Task only: a task runs once.
  Awaiter operator co_await() && noexcept { return Awaiter(handle_); }

  // For the loop and adapters.
  std::coroutine_handle<promise_type> handle() const noexcept { return handle_; }

private:
  friend class detail::TaskPromise<T>;
  explicit Task(std::coroutine_handle<promise_type> handle) noexcept : handle_(handle) {}
  void destroy() noexcept {
    if (handle_)
      std::exchange(handle_, {}).destroy();
  }

  std::coroutine_handle<promise_type> handle_;
};

namespace detail {
template <class T>
Task<T> TaskPromise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<TaskPromise<T>>::from_promise(*this));
}
inline Task<void> TaskPromise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<TaskPromise<void>>::from_promise(*this));
}
} // namespace detail

} // namespace taskfit
