// Hybrids: an event-loop task hands blocking or CPU-heavy work to a pool and awaits the result
// without blocking the loop (asyncio.to_thread, loop.run_in_executor).
//   auto text = co_await taskfit::to_thread(read_file, path);          // blocking I/O
//   auto hash = co_await taskfit::run_in_executor(cpu_pool, digest, data); // ThreadPool
//   auto n = co_await taskfit::run_in_executor<&count_primes>(processes, 100000); // ProcessPool
// Cancelling the awaiting task cancels the work if it has not started; work already running
// finishes in the background (a thread or process cannot be interrupted safely).
#pragma once

#include "taskfit/runtime/future.hpp"
#include "taskfit/runtime/process_pool.hpp"
#include "taskfit/runtime/thread_pool.hpp"

#include <utility>

namespace taskfit {

// The pool behind to_thread(): Python's default executor, sized like ThreadPool().
ThreadPool& default_thread_pool();

template <class Fn, class... Args>
auto to_thread(Fn&& fn, Args&&... args) {
  return default_thread_pool().submit(std::forward<Fn>(fn), std::forward<Args>(args)...);
}

template <class Fn, class... Args>
auto run_in_executor(ThreadPool& pool, Fn&& fn, Args&&... args) {
  return pool.submit(std::forward<Fn>(fn), std::forward<Args>(args)...);
}

template <auto Function, class... Args>
auto run_in_executor(ProcessPool& pool, Args&&... args) {
  return pool.template submit<Function>(std::forward<Args>(args)...);
}

} // namespace taskfit
