// ForkServer: a small process, forked while the parent is still small and single-threaded, that
// forks process-pool workers on request (Python's "forkserver" start method, without re-exec).
// Start it first thing in main() when the program later grows threads or big heaps:
//   int main() { auto server = taskfit::ForkServer::start(); ... ProcessPool pool({.fork_server =
//   server}); }
// Workers are copies of the parent as it was when the server started: code and globals set up
// before that point are there, later changes are not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <sys/types.h>
#include <vector>

namespace taskfit {

class ForkServer {
public:
  struct Options {
    // Workers the server keeps forked ahead of requests, each done with what a worker does before
    // its first task, so that a pool starts without waiting for a fork. Forked when the server
    // has had no request for a few milliseconds (first right after it starts); 0: none.
    std::size_t spare_workers = 2;
  };
  // Forks the server now. Throws std::system_error when the kernel refuses.
  static std::shared_ptr<ForkServer> start();
  static std::shared_ptr<ForkServer> start(Options options);
  ForkServer(const ForkServer&) = delete;
  ForkServer& operator=(const ForkServer&) = delete;
  // Tells the server to stop and reaps it; the server first reaps its remaining workers.
  ~ForkServer();

  // What the server tells of a worker, as messages on the worker's `events` socket, in this
  // order: `started` (value: its pid, with a pidfd of it where the kernel has them) or `failed`
  // (value: the errno of its fork); then `exited` (value: its wait status) once it is reaped.
  struct WorkerEvent {
    enum Kind : std::int32_t { started = 1, failed = 2, exited = 3 };
    std::int32_t kind;
    std::int32_t value;
  };

  struct Worker {
    int channel = -1;  // socket to the worker: tasks out, results back
    int events = -1;   // SOCK_SEQPACKET socket of WorkerEvent messages from the server
    int progress = -1; // memfd of two std::uint64_t: tasks started, initializer done
  };
  // Asks for `count` workers running the task loop with one request (one wake-up of the server),
  // and returns without waiting for the forks: the descriptors work at once (tasks written to
  // `channel` wait there until the worker reads them); what became of each worker comes on its
  // `events`. The initializer (if any) runs first in each worker; max_tasks 0 means unlimited.
  // The caller owns the descriptors. Throws std::system_error when the server is gone or
  // descriptors run out.
  std::vector<Worker> spawn_workers(std::size_t count, void (*initializer)(),
                                    std::size_t max_tasks);

  pid_t pid() const noexcept { return pid_; }

private:
  ForkServer(pid_t pid, int control) noexcept : pid_(pid), control_(control) {}
  std::mutex mutex_; // one request at a time on the control socket
  pid_t pid_;
  int control_;
};

} // namespace taskfit
