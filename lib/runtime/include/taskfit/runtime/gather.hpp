// gather(): asyncio.gather. Runs tasks concurrently and collects their results in order.
//
// Failure semantics: by default the first failure (in completion order) is rethrown once the other
// tasks have been cancelled and have ended: unlike asyncio they are not left running, because in
// C++ they may reference the caller's frame. With return_exceptions every task runs to its end
// and each slot holds a value or an exception. Cancelling the gathering task cancels them all.
#pragma once

#include "taskfit/runtime/detail/wait_all.hpp"
#include "taskfit/runtime/errors.hpp"
#include "taskfit/runtime/event_loop.hpp"
#include "taskfit/runtime/task.hpp"

#include <exception>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace taskfit {

// void results are gathered as std::monostate so every slot has a value type.
template <class T>
using Gathered = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

// One slot of gather(return_exceptions, ...): a value or the exception the task ended with.
template <class T>
class Outcome {
public:
  explicit Outcome(Gathered<T> value) : state_(std::in_place_index<0>, std::move(value)) {}
  explicit Outcome(std::exception_ptr error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool has_value() const noexcept { return state_.index() == 0; }
  // Rethrows the task's exception when there is no value.
  Gathered<T>& value() {
    if (!has_value())
      std::rethrow_exception(std::get<1>(state_));
    return std::get<0>(state_);
  }
  std::exception_ptr error() const noexcept { return has_value() ? nullptr : std::get<1>(state_); }

private:
  std::variant<Gathered<T>, std::exception_ptr> state_;
};

struct ReturnExceptions {};
inline constexpr ReturnExceptions return_exceptions{};

namespace detail {

template <class T>
Gathered<T> take_value(TaskHandle<T>& handle) {
  if constexpr (std::is_void_v<T>) {
    handle.result();
    return {};
  } else {
    return std::move(handle.result());
  }
}

template <class T>
Outcome<T> take_outcome(TaskHandle<T>& handle) {
  if (handle.exception())
    return Outcome<T>(handle.exception());
  return Outcome<T>(take_value(handle));
}

// Waits for every task; on the first failure (unless settle_all) cancels the rest and waits for
// them too. Rethrows CancelledError when the gathering task itself was cancelled.
Task<TaskCore*> wait_for_all(std::vector<TaskCore*> tasks, bool settle_all);

} // namespace detail

template <class... Ts>
Task<std::tuple<Gathered<Ts>...>> gather(Task<Ts>... tasks) {
  std::tuple<TaskHandle<Ts>...> handles{spawn(std::move(tasks))...};
  std::vector<detail::TaskCore*> cores = std::apply(
      [](auto&... handle) { return std::vector<detail::TaskCore*>{handle.core()...}; }, handles);
  detail::TaskCore* failed = co_await detail::wait_for_all(std::move(cores), false);
  if (failed != nullptr) {
    std::exception_ptr error;
    std::apply(
        [&](auto&... handle) {
          ((handle.core() == failed ? (void)(error = handle.exception()) : (void)0), ...);
        },
        handles);
    std::rethrow_exception(error);
  }
  co_return std::apply(
      [](auto&... handle) { return std::tuple<Gathered<Ts>...>{detail::take_value(handle)...}; },
      handles);
}

template <class... Ts>
Task<std::tuple<Outcome<Ts>...>> gather(ReturnExceptions, Task<Ts>... tasks) {
  std::tuple<TaskHandle<Ts>...> handles{spawn(std::move(tasks))...};
  std::vector<detail::TaskCore*> cores = std::apply(
      [](auto&... handle) { return std::vector<detail::TaskCore*>{handle.core()...}; }, handles);
  co_await detail::wait_for_all(std::move(cores), true);
  co_return std::apply(
      [](auto&... handle) { return std::tuple<Outcome<Ts>...>{detail::take_outcome(handle)...}; },
      handles);
}

template <class T>
Task<std::vector<Gathered<T>>> gather(std::vector<Task<T>> tasks) {
  std::vector<TaskHandle<T>> handles;
  std::vector<detail::TaskCore*> cores;
  handles.reserve(tasks.size());
  for (Task<T>& task : tasks) {
    handles.push_back(spawn(std::move(task)));
    cores.push_back(handles.back().core());
  }
  detail::TaskCore* failed = co_await detail::wait_for_all(std::move(cores), false);
  if (failed != nullptr)
    for (TaskHandle<T>& handle : handles)
      if (handle.core() == failed)
        std::rethrow_exception(handle.exception());
  std::vector<Gathered<T>> results;
  results.reserve(handles.size());
  for (TaskHandle<T>& handle : handles)
    results.push_back(detail::take_value(handle));
  co_return results;
}

template <class T>
Task<std::vector<Outcome<T>>> gather(ReturnExceptions, std::vector<Task<T>> tasks) {
  std::vector<TaskHandle<T>> handles;
  std::vector<detail::TaskCore*> cores;
  handles.reserve(tasks.size());
  for (Task<T>& task : tasks) {
    handles.push_back(spawn(std::move(task)));
    cores.push_back(handles.back().core());
  }
  co_await detail::wait_for_all(std::move(cores), true);
  std::vector<Outcome<T>> results;
  results.reserve(handles.size());
  for (TaskHandle<T>& handle : handles)
    results.push_back(detail::take_outcome(handle));
  co_return results;
}

} // namespace taskfit
