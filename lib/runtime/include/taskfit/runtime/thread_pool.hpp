// ThreadPool: Python's ThreadPoolExecutor. Work that blocks (I/O) or, in C++ where there is no GIL,
// CPU work on a pool sized to the cores (ThreadPool::for_cpu()).
#pragma once

#include "taskfit/runtime/detail/executor_map.hpp"
#include "taskfit/runtime/executor_options.hpp"
#include "taskfit/runtime/future.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <ranges>
#include <type_traits>
#include <utility>
#include <vector>

namespace taskfit {

namespace detail {

// One unit of queued work; type-erased so the queue holds one kind of thing.
class PoolJob {
public:
  virtual ~PoolJob() = default;
  virtual void run() noexcept = 0;
  virtual void cancel() noexcept = 0;
};

template <class R, class Work>
class PromiseJob final : public PoolJob {
public:
  PromiseJob(Promise<R> promise, Work work)
      : promise_(std::move(promise)), work_(std::move(work)) {}
  void run() noexcept override { promise_.run(work_); }
  void cancel() noexcept override { promise_.get_future().cancel(); }

private:
  Promise<R> promise_;
  Work work_;
};

// Python's default: min(32, cores + 4), enough threads to overlap blocking calls.
std::size_t default_io_workers() noexcept;
std::size_t cpu_count() noexcept;

} // namespace detail

class ThreadPool {
public:
  struct Options {
    std::size_t max_workers = 0; // 0: min(32, cores + 4), like Python
  };

  ThreadPool() : ThreadPool(Options{}) {}
  explicit ThreadPool(std::size_t max_workers) : ThreadPool(Options{.max_workers = max_workers}) {}
  explicit ThreadPool(Options options);
  // A pool for CPU-bound work: one worker per core, so tasks run in parallel without
  // oversubscription.
  static ThreadPool for_cpu();

  ThreadPool(ThreadPool&&) noexcept;
  ThreadPool& operator=(ThreadPool&&) noexcept;
  ~ThreadPool(); // shutdown({.wait = true})

  // Runs fn(args...) on a worker; the returned future carries its result or exception.
  // Throws ExecutorShutdown after shutdown().
  template <class Fn, class... Args>
  auto submit(Fn&& fn, Args&&... args)
      -> Future<std::invoke_result_t<std::decay_t<Fn>, std::decay_t<Args>...>> {
    using Result = std::invoke_result_t<std::decay_t<Fn>, std::decay_t<Args>...>;
    Promise<Result> promise;
    Future<Result> future = promise.get_future();
    auto work = [fn = std::forward<Fn>(fn), ... args = std::forward<Args>(args)]() mutable {
      return std::invoke(std::move(fn), std::move(args)...);
    };
    enqueue(std::make_unique<detail::PromiseJob<Result, decltype(work)>>(std::move(promise),
                                                                         std::move(work)));
    return future;
  }

  // fn applied to every input, results in input order (Python's executor.map, collected).
  // The first failing input's exception is rethrown and unstarted work cancelled.
  template <class Fn, std::ranges::input_range Inputs>
  auto map(Fn fn, Inputs&& inputs, MapOptions options = {})
      -> std::vector<std::invoke_result_t<Fn&, std::ranges::range_reference_t<Inputs>>> {
    using Input = std::ranges::range_value_t<Inputs>;
    using Result = std::invoke_result_t<Fn&, std::ranges::range_reference_t<Inputs>>;
    static_assert(!std::is_void_v<Result>, "ThreadPool::map needs a function that returns a value");
    auto run_chunk = [fn](const std::vector<Input>& items) {
      std::vector<Result> results;
      results.reserve(items.size());
      for (const Input& item : items)
        results.push_back(fn(item));
      return results;
    };
    return detail::map_in_chunks<Input, Result>(
        std::forward<Inputs>(inputs), options,
        [&](std::vector<Input>& chunk) { return submit(run_chunk, std::move(chunk)); });
  }

  void shutdown(ShutdownOptions options = {});
  std::size_t max_workers() const noexcept;

private:
  struct Impl;
  void enqueue(std::unique_ptr<detail::PoolJob> job);

  std::unique_ptr<Impl> impl_;
};

} // namespace taskfit
