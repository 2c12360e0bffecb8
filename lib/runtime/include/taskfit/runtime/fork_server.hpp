// ForkServer: a small process, forked while the parent is still small and single-threaded, that
// forks process-pool workers on request (Python's "forkserver" start method, without re-exec).
// Start it first thing in main() when the program later grows threads or big heaps:
//   int main() { auto server = taskfit::ForkServer::start(); ... ProcessPool pool({.fork_server =
//   server}); }
// Workers are copies of the parent as it was when the server started: code and globals set up
// before that point are there, later changes are not.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <sys/types.h>
#include <vector>

namespace taskfit {

class ForkServer {
public:
  // Forks the server now. Throws std::system_error when the kernel refuses.
  static std::shared_ptr<ForkServer> start();
  ForkServer(const ForkServer&) = delete;
  ForkServer& operator=(const ForkServer&) = delete;
  // Tells the server to stop and reaps it; the server first reaps its remaining workers.
  ~ForkServer();

  struct Worker {
    pid_t pid = -1;
    int channel = -1;     // socket to the worker: tasks out, results back
    int exit_status = -1; // pipe: the server writes the worker's wait status here when it exits
    int progress = -1;    // memfd of two std::uint64_t: tasks started, initializer done
  };
  // Asks for a worker running the task loop. The initializer (if any) runs first in the worker;
  // max_tasks 0 means unlimited. Throws std::system_error when the server is gone.
  Worker spawn_worker(void (*initializer)(), std::size_t max_tasks);
  // `count` workers with one request (one wake-up of the server, not one per worker).
  std::vector<Worker> spawn_workers(std::size_t count, void (*initializer)(),
                                    std::size_t max_tasks);
  // The same, handing each worker to `started` as soon as it is forked (the caller owns its
  // descriptors from then on); throws std::system_error at the first failure.
  void spawn_workers(std::size_t count, void (*initializer)(), std::size_t max_tasks,
                     const std::function<void(const Worker&)>& started);

  pid_t pid() const noexcept { return pid_; }

private:
  ForkServer(pid_t pid, int control) noexcept : pid_(pid), control_(control) {}
  std::mutex mutex_; // one request at a time on the control socket
  pid_t pid_;
  int control_;
};

} // namespace taskfit
