// What the threads of a process pool share: its options, its workers, the calls not handed to a
// worker yet, the futures to complete, and whether it stops or is broken; and the work each of
// those threads does with them. A submission hands its call straight to an idle worker (no hop
// through the manager thread); whoever holds the lock hands queued calls to the workers that are
// idle and writes them out. One mutex guards it all, the other parts' state too, and is held
// briefly: futures are completed once it is released, because their callbacks may run user code
// that submits again. Internal.
#pragma once

#include "adaptive_mutex.hpp"
#include "process_pool/argument_areas.hpp"
#include "process_pool/worker_handle.hpp"
#include "taskfit/runtime/process_pool.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace taskfit::detail {

// How the other threads wake the manager from epoll_wait: an eventfd in its epoll set, written
// once until the manager looks at the pool again.
class ManagerWakeup {
public:
  ManagerWakeup(); // throws std::system_error
  ManagerWakeup(const ManagerWakeup&) = delete;
  ManagerWakeup& operator=(const ManagerWakeup&) = delete;
  ~ManagerWakeup();

  int fd() const noexcept { return fd_; }
  void wake() noexcept;
  // Writes even while an earlier wake-up is pending.
  void wake_unconditionally() noexcept;
  // The manager, before it looks at the pool: what changes from now on wakes it again.
  void rearm() noexcept;
  // The manager: takes the wake-up out of the eventfd.
  void drain() noexcept;

private:
  int fd_ = -1;
  std::atomic<bool> pending_{false};
};

struct PoolState {
  explicit PoolState(ProcessPool::Options options);

  const ProcessPool::Options options;
  const std::size_t max_workers;
  ManagerWakeup manager_wakeup;
  ArgumentAreas argument_areas;

  mutable AdaptiveMutex mutex; // guards everything below
  std::deque<RemoteCall> pending;
  std::vector<std::shared_ptr<WorkerHandle>> workers;
  std::vector<Completion> completions;
  bool manager_sleeps_forever = false; // in epoll_wait without a task_timeout deadline
  bool stopping = false;
  bool cancel_requested = false;
  bool broken = false;
  std::string broken_reason;

  // Hands `call` to an idle worker, or queues it. Throws ExecutorShutdown after shutdown,
  // BrokenProcessPool once the pool is broken.
  void submit(RemoteCall call);
  // Without the lock: completes the futures of `ready` and keeps their argument areas for reuse.
  void complete(std::vector<Completion>& ready);

  // --- with `mutex` held ---

  // Hands queued calls to the workers that are idle.
  void dispatch();
  // Writes out what every worker has queued.
  void flush_all();
  // Nothing queued, nothing in a worker's hands.
  bool idle() const;
  WorkerHandle* find_worker(std::uint64_t id);

private:
  bool try_direct(RemoteCall& call);
  bool can_take_work(const WorkerHandle& worker) const;
  void assign(WorkerHandle& worker, RemoteCall call);
};

} // namespace taskfit::detail
