// wait_for(): asyncio.wait_for. Bounds the time an awaitable may take: on timeout the work is
// cancelled, awaited until it has ended, and TimeoutError is thrown.
#pragma once

#include "taskfit/runtime/detail/wait_all.hpp"
#include "taskfit/runtime/errors.hpp"
#include "taskfit/runtime/event_loop.hpp"
#include "taskfit/runtime/future.hpp"
#include "taskfit/runtime/task.hpp"

#include <chrono>
#include <type_traits>

namespace taskfit {

namespace detail {
// Waits for `task` up to `timeout`; true when it finished in time. On timeout or cancellation of
// the waiter the task is cancelled and awaited; CancelledError is rethrown for the latter.
Task<bool> finish_within(TaskCore* task, std::chrono::nanoseconds timeout);

template <class R>
Task<R> await_future(Future<R> future) {
  co_return co_await future;
}
} // namespace detail

template <class T>
Task<T> wait_for(Task<T> task, std::chrono::nanoseconds timeout) {
  TaskHandle<T> handle = spawn(std::move(task));
  if (!co_await detail::finish_within(handle.core(), timeout) && handle.cancelled())
    throw TimeoutError();
  // Finished in time, or it completed anyway while being cancelled: its own outcome wins.
  if constexpr (std::is_void_v<T>)
    handle.result();
  else
    co_return std::move(handle.result());
}

// A future that does not finish in time is cancelled if it has not started (it cannot be stopped
// once running: Python semantics) and TimeoutError is thrown.
template <class R>
Task<R> wait_for(Future<R> future, std::chrono::nanoseconds timeout) {
  if constexpr (std::is_void_v<R>)
    co_await wait_for(detail::await_future(std::move(future)), timeout);
  else
    co_return co_await wait_for(detail::await_future(std::move(future)), timeout);
}

} // namespace taskfit
