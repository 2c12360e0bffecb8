// A minimal mock of libtaskfit's coroutine API, enough for the analyser to
// see the names and types it matches (rules/executors.yaml): taskfit::Task,
// taskfit::to_thread, taskfit::ThreadPool::submit, taskfit::Future,
// taskfit::EventLoop::call_soon. The tests are parsed, never linked:
// declarations only, except for templates that take a callable (a lambda
// type has no linkage, so such a template must be defined to be used).
// Signatures follow lib/runtime/include/taskfit/runtime.
#ifndef TASKFIT_LIT_CORO_H
#define TASKFIT_LIT_CORO_H

#include <chrono>
#include <coroutine>
#include <functional>
#include <vector>
#include <type_traits>

using namespace std::chrono_literals;

namespace taskfit {

template <class T = void>
class Task {
public:
  struct promise_type {
    Task get_return_object() noexcept;
    std::suspend_always initial_suspend() const noexcept;
    std::suspend_always final_suspend() const noexcept;
    template <class V>
    void return_value(V&& value);
    void unhandled_exception() noexcept;
  };
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) noexcept;
  T await_resume();
};

template <>
class Task<void> {
public:
  struct promise_type {
    Task get_return_object() noexcept;
    std::suspend_always initial_suspend() const noexcept;
    std::suspend_always final_suspend() const noexcept;
    void return_void() noexcept;
    void unhandled_exception() noexcept;
  };
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) noexcept;
  void await_resume();
};

/// Awaitable, and blocking when waited on with result().
template <class T>
class Future {
public:
  T result();
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) noexcept;
  T await_resume();
};

Task<void> sleep(std::chrono::nanoseconds delay);
Task<void> yield();

template <class Fn, class... Args>
auto to_thread(Fn&& fn, Args&&... args) -> Future<std::invoke_result_t<Fn, Args...>> {
  return {};
}

class ThreadPool {
public:
  static ThreadPool for_cpu();
  template <class Fn, class Range>
  auto map(Fn&& fn, const Range& range) -> std::vector<int>;
  template <class Fn, class... Args>
  auto submit(Fn&& fn, Args&&... args) -> Future<std::invoke_result_t<Fn, Args...>> {
    return {};
  }
};

class EventLoop {
public:
  void call_soon(std::function<void()> callback);
};

} // namespace taskfit

#endif
