// A small mock of Seastar: seastar::future (a task type for coroutines, and
// a reactor future for plain functions that return it), its continuations
// and the reactor's syscall thread pool.
#ifndef TASKFIT_LIT_SEASTAR_H
#define TASKFIT_LIT_SEASTAR_H

#include <chrono>
#include <coroutine>

namespace seastar {

template <class T = void>
class future;

// The specialisation first: the primary template's continuations return it.
template <>
class future<void> {
public:
  struct promise_type {
    future get_return_object() noexcept;
    std::suspend_never initial_suspend() const noexcept;
    std::suspend_never final_suspend() const noexcept;
    void return_void() noexcept;
    void unhandled_exception() noexcept;
  };
  template <class Func>
  future<> then(Func&&) {
    return {};
  }
  template <class Func>
  future<> finally(Func&&) {
    return {};
  }
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) noexcept;
  void await_resume();
};

template <class T>
class future {
public:
  struct promise_type {
    future get_return_object() noexcept;
    std::suspend_never initial_suspend() const noexcept;
    std::suspend_never final_suspend() const noexcept;
    template <class V>
    void return_value(V&& value);
    void unhandled_exception() noexcept;
  };
  // Continuations are templates over lambda types, so they need bodies.
  template <class Func>
  future<> then(Func&&) {
    return {};
  }
  template <class Func>
  future<> finally(Func&&) {
    return {};
  }
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) noexcept;
  T await_resume();
};

template <class T>
future<T> make_ready_future(T value);
future<> make_ready_future();
future<> sleep(std::chrono::nanoseconds duration);

class thread_pool {
public:
  template <class Func>
  future<> submit(Func&&) {
    return {};
  }
};

} // namespace seastar

#endif
