// The manager of a process pool's workers, and its thread (CPython's _ExecutorManagerThread). It
// starts the workers with the pool and replaces those that die; watches every worker's channel
// and end in one epoll set; settles a dead worker's calls (fails the one it was running, gives the
// rest to other workers) or breaks the pool; kills a worker that outlives Options::task_timeout;
// and at shutdown ends the workers' channels and waits for their ends. Internal.
#pragma once

#include "adaptive_mutex.hpp"
#include "process_pool/pool_state.hpp"
#include "process_pool/worker_handle.hpp"
#include "taskfit/runtime/fork_server.hpp"
#include "taskfit/runtime/process_pool.hpp"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <sys/epoll.h>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace taskfit::detail {

class PoolManager {
public:
  // Asks the fork server for the pool's workers and starts the thread. Throws std::system_error
  // when the fork server cannot take the request (a fork that fails later breaks the pool).
  explicit PoolManager(PoolState& pool);
  PoolManager(const PoolManager&) = delete;
  PoolManager& operator=(const PoolManager&) = delete;
  ~PoolManager();

  // ProcessPool::worker_pids(): the live workers, once every worker on its way is in.
  std::vector<pid_t> worker_pids();
  // ProcessPool::shutdown().
  void shutdown(ShutdownOptions options);

  // --- with the pool's lock held; also on threads reading their workers' answers ---

  // Reads what the fork server has told of `worker` so far.
  void read_events(WorkerHandle& worker);
  // Settles a worker once both its channel and its exit status are in. A worker known to be gone
  // has written all it ever will: its channel is drained and taken as closed, even if a process
  // it forked still holds the other end.
  void retire_if_gone(WorkerHandle& worker);

private:
  void run();
  bool tend_pool(int& wait_ms);
  void take_in(const epoll_event* events, int count);
  void end_workers();

  void adopt(const ForkServer::Worker& spawned);
  void replace_workers(std::unique_lock<AdaptiveMutex>& lock);
  bool workers_settled() const;
  void retire(WorkerHandle& worker);
  void settle_calls(WorkerHandle& worker);
  void fail_running_task(WorkerHandle& worker, std::exception_ptr error);
  void requeue_unstarted(WorkerHandle& worker);
  int enforce_task_timeout();
  void mark_broken(const std::string& reason);
  void fail_everything(const std::string& reason);
  void release() noexcept;

  PoolState& pool_;
  std::shared_ptr<ForkServer> server_;
  int epoll_fd_ = -1;
  std::thread thread_;
  std::vector<Completion> ready_; // the manager thread's: completions taken out of the lock

  // Guarded by the pool's lock.
  std::condition_variable_any workers_changed_; // a worker came (first ones, replacements)
  std::uint64_t last_worker_id_ = 0;
  std::size_t respawns_wanted_ = 0;
  std::size_t replacing_ = 0; // threads asking the fork server for replacements
};

} // namespace taskfit::detail
