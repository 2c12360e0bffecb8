// RUN: not %taskfit --checks='-*,cpu-bound-loop-in-thread-pool' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="note:"
#include "asio.h"
#include "coro.h"

#include <future>
#include <thread>
#include <vector>

int render(const std::vector<int>& scene) {
  int colour = 0;
  for (int ray : scene) {
    colour += ray * ray;
    colour ^= colour >> 3;
    colour -= 1;
  }
  return colour;
}

int lookup(int key) { return key + 1; }

void io_pool(taskfit::ThreadPool& pool, std::vector<int> scene) {
  pool.submit([scene] { return render(scene); });
  // CHECK: :[[@LINE-1]]:8: warning: CPU-bound task 'lambda at {{.*}}pools.cpp:[[@LINE-1]]:15' (it runs a loop over 'scene' and no suspension point) is submitted to 'taskfit::ThreadPool::submit', a pool sized for blocking I/O (role io), where CPU-bound work competes with the I/O it was sized for; run it on a pool sized to the cores (taskfit::ThreadPool::for_cpu()) or a process pool (taskfit::ProcessPool) [cpu-bound-loop-in-thread-pool]
  // CHECK: :[[@LINE-2]]:32: note: 'lambda at {{.*}}' calls 'render' here
  // CHECK: :[[@LINE-14]]:3: note: 'render' runs a loop over 'scene' and no suspension point
  pool.submit([] { return lookup(42); }); // Trivial: nothing to report.
}

void cpu_sized(std::vector<int> scene) {
  auto pool = taskfit::ThreadPool::for_cpu();
  pool.submit([scene] { return render(scene); }); // Sized to the cores: right.
}

void asio_executors(asio::io_context& io, asio::thread_pool& workers, std::vector<int> scene) {
  asio::post(io, [scene] { render(scene); });
  // CHECK: :[[@LINE-1]]:9: warning: CPU-bound task 'lambda at {{.*}}' (it runs a loop over 'scene' and no suspension point) is submitted to 'asio::post', an event loop, where every other handler waits while it runs;
  // CHECK: note: 'lambda at {{.*}}' calls 'render' here
  // CHECK: note: 'render' runs a loop over 'scene'
  auto strand = asio::make_strand(io);
  asio::post(strand, [scene] { render(scene); });
  // CHECK: :[[@LINE-1]]:9: warning: CPU-bound task 'lambda at {{.*}}' (it runs a loop over 'scene' and no suspension point) is submitted to 'asio::post', a strand, which runs its tasks one at a time;
  // CHECK: note: 'lambda at {{.*}}' calls 'render' here
  // CHECK: note: 'render' runs a loop over 'scene'
  asio::post(workers, [scene] { render(scene); }); // A pool for CPU work: right.
}

void generic(std::vector<int> scene) {
  auto result = std::async(std::launch::async, [scene] { return render(scene); });
  // CHECK: :[[@LINE-1]]:22: note: CPU-bound task 'lambda at {{.*}}' (it runs a loop over 'scene' and no suspension point) is submitted to 'std::async', an executor of unknown purpose (role generic); for CPU-bound work the decision matrix recommends a pool sized to the cores (taskfit::ThreadPool::for_cpu()), or a process pool (taskfit::ProcessPool) for many tasks with serialisable payloads [cpu-bound-loop-in-thread-pool]
  // CHECK: note: 'lambda at {{.*}}' calls 'render' here
  // CHECK: note: 'render' runs a loop over 'scene'
  std::thread worker(render, scene);
  // CHECK: :[[@LINE-1]]:15: note: CPU-bound task 'render' (it runs a loop over 'scene' and no suspension point) is submitted to 'std::thread::thread', an executor of unknown purpose (role generic);
  // CHECK: note: 'render' runs a loop over 'scene'
  worker.join();
  result.get();
}

taskfit::Task<void> hashing_on_io_pool(std::vector<int> scene) {
  co_await taskfit::to_thread([scene] { return render(scene); });
  // CHECK: :[[@LINE-1]]:21: warning: CPU-bound task 'lambda at {{.*}}' (it runs a loop over 'scene' and no suspension point) is submitted to 'taskfit::to_thread', a pool sized for blocking I/O (role io)
  // CHECK: note: 'lambda at {{.*}}' calls 'render' here
  // CHECK: note: 'render' runs a loop over 'scene'
}
