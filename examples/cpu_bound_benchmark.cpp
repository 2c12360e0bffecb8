// seeds/003 benchmark_cpu_bound: 4 prime-counting tasks, sequential vs threads vs processes.
// Unlike CPython, C++ threads run CPU work in parallel: both pools should beat sequential on a
// multi-core machine. Usage: cpu_bound_benchmark [n] (default 300000).
#include "workloads.hpp"

#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  auto fork_server = taskfit::ForkServer::start();
  const int n = argc > 1 ? std::atoi(argv[1]) : 300'000;
  const int num_tasks = 4;
  std::printf("CPU-BOUND TASK BENCHMARK (n=%d, %d tasks)\n", n, num_tasks);
  std::printf("========================================\n");

  auto start = std::chrono::steady_clock::now();
  std::vector<int> sequential;
  for (int i = 0; i < num_tasks; ++i)
    sequential.push_back(examples::count_primes(n));
  const double sequential_time = examples::seconds_since(start);
  std::printf("Sequential: %.3fs\n", sequential_time);

  start = std::chrono::steady_clock::now();
  auto threads = taskfit::ThreadPool::for_cpu();
  auto threaded = threads.map(examples::count_primes, std::vector<int>(num_tasks, n));
  const double threading_time = examples::seconds_since(start);
  std::printf("Threading: %.3fs (%.2fx)\n", threading_time, threading_time / sequential_time);

  start = std::chrono::steady_clock::now();
  taskfit::ProcessPool processes({.fork_server = fork_server});
  auto multiprocessed = processes.map<&examples::count_primes>(std::vector<int>(num_tasks, n));
  const double processing_time = examples::seconds_since(start);
  std::printf("Multiprocessing: %.3fs (%.2fx)\n", processing_time,
              processing_time / sequential_time);
  return sequential == threaded && sequential == multiprocessed ? 0 : 1;
}
