#include "taskfit/runtime/thread_pool.hpp"

#include "adaptive_mutex.hpp"
#include "taskfit/runtime/spin.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace taskfit {

namespace detail {
std::size_t cpu_count() noexcept {
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}
std::size_t default_io_workers() noexcept {
  return std::min<std::size_t>(32, cpu_count() + 4);
}
} // namespace detail

struct ThreadPool::Impl {
  explicit Impl(std::size_t max_workers) : max_workers(max_workers) {}

  void worker_loop() {
    while (std::unique_ptr<detail::PoolJob> job = take())
      job->run();
  }

  // The next job; null once the pool stops and nothing is left. An idle worker spins a while
  // before it sleeps (see spin.hpp), but only one at a time: more would take the cores from the
  // threads doing the work.
  std::unique_ptr<detail::PoolJob> take() {
    std::unique_lock lock(mutex);
    if (queue.empty() && !stopping) {
      ++idle;
      if (spinners == 0 && spin_before_blocking() > std::chrono::nanoseconds::zero()) {
        ++spinners;
        lock.unlock();
        detail::spin_until([this] { return queued.load(std::memory_order_acquire) != 0; });
        lock.lock();
        --spinners;
      }
      work_available.wait(lock, [this] { return !queue.empty() || stopping; });
      --idle;
    }
    if (queue.empty())
      return nullptr;
    std::unique_ptr<detail::PoolJob> job = std::move(queue.front());
    queue.pop_front();
    queued.store(queue.size(), std::memory_order_relaxed);
    // Work submitted while a worker spun woke nobody (see enqueue): pass the rest on to a
    // sleeping worker, which does the same, so a burst still spreads over every idle worker.
    if (!queue.empty() && idle > spinners)
      work_available.notify_one();
    return job;
  }

  detail::AdaptiveMutex mutex;
  std::condition_variable_any work_available;
  std::deque<std::unique_ptr<detail::PoolJob>> queue;
  std::vector<std::thread> threads;
  std::atomic<std::size_t> queued{0}; // queue.size(), for a spinning worker to read unlocked
  std::size_t idle = 0;               // waiting for work, spinning or asleep
  std::size_t spinners = 0;           // of those, spinning
  std::size_t max_workers;
  bool stopping = false;
};

ThreadPool::ThreadPool(Options options)
    : impl_(std::make_unique<Impl>(options.max_workers == 0 ? detail::default_io_workers()
                                                            : options.max_workers)) {}

ThreadPool ThreadPool::for_cpu() {
  return ThreadPool(detail::cpu_count());
}

ThreadPool::ThreadPool(ThreadPool&&) noexcept = default;
ThreadPool& ThreadPool::operator=(ThreadPool&& other) noexcept {
  if (this != &other) {
    if (impl_)
      shutdown({.wait = true});
    impl_ = std::move(other.impl_);
  }
  return *this;
}

ThreadPool::~ThreadPool() {
  if (impl_)
    shutdown({.wait = true});
}

std::size_t ThreadPool::max_workers() const noexcept {
  return impl_->max_workers;
}

void ThreadPool::enqueue(std::unique_ptr<detail::PoolJob> job) {
  Impl& impl = *impl_;
  bool wake;
  {
    std::lock_guard lock(impl.mutex);
    if (impl.stopping)
      throw ExecutorShutdown();
    impl.queue.push_back(std::move(job));
    impl.queued.store(impl.queue.size(), std::memory_order_release);
    // Like Python, threads start on demand: a new one only when none is idle.
    if (impl.idle < impl.queue.size() && impl.threads.size() < impl.max_workers)
      impl.threads.emplace_back([&impl] { impl.worker_loop(); });
    // A spinning worker takes the job without being woken, and wakes another if more come.
    wake = impl.idle > 0 && impl.spinners == 0;
  }
  if (wake)
    impl.work_available.notify_one();
}

void ThreadPool::shutdown(ShutdownOptions options) {
  Impl& impl = *impl_;
  std::deque<std::unique_ptr<detail::PoolJob>> cancelled;
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(impl.mutex);
    impl.stopping = true;
    if (options.cancel_futures) {
      cancelled.swap(impl.queue);
      impl.queued.store(0, std::memory_order_relaxed);
    }
    if (options.wait)
      threads.swap(impl.threads);
  }
  impl.work_available.notify_all();
  for (auto& job : cancelled)
    job->cancel();
  for (auto& thread : threads)
    if (thread.joinable() && thread.get_id() != std::this_thread::get_id())
      thread.join();
    else if (thread.joinable())
      thread.detach();
}

} // namespace taskfit
