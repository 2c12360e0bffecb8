// seeds/000 "All Possible Mixing Combinations", in C++ on libtaskfit. Run one with its number
// (1..7) or all of them without arguments.
#include "workloads.hpp"

#include <cstdio>
#include <string>
#include <vector>

using examples::async_io;
using examples::blocking_io;

namespace {

// 1. Threading + Threading: two I/O pools, waited on together.
void threading_threading() {
  taskfit::ThreadPool pool1(4), pool2(4);
  std::vector<taskfit::Future<std::string>> futures;
  for (int i = 0; i < 3; ++i)
    futures.push_back(pool1.submit(blocking_io));
  for (int i = 0; i < 3; ++i)
    futures.push_back(pool2.submit(blocking_io));
  auto waited = taskfit::wait(futures);
  std::printf("1. threading+threading: %zu done\n", waited.done.size());
}

// 2. Threading + Multiprocessing: I/O in threads, CPU in processes. (In C++ a thread pool sized
// to the cores runs CPU work in parallel too; processes add isolation.)
void threading_multiprocessing() {
  taskfit::ThreadPool threads(4);
  taskfit::ProcessPool processes;
  std::vector<taskfit::Future<std::string>> io;
  std::vector<taskfit::Future<int>> cpu;
  for (int i = 0; i < 3; ++i)
    io.push_back(threads.submit(blocking_io));
  for (int i = 0; i < 3; ++i)
    cpu.push_back(processes.submit<&examples::cpu_task>());
  taskfit::wait(io);
  taskfit::wait(cpu);
  std::printf("2. threading+multiprocessing: primes below 200000 = %d\n", cpu[0].result());
}

// 3. Threading + Asyncio: blocking calls go to a pool, native async I/O stays on the loop.
taskfit::Task<void> threading_asyncio() {
  taskfit::ThreadPool pool(4);
  std::vector<taskfit::Task<std::string>> tasks;
  for (int i = 0; i < 3; ++i)
    tasks.push_back([](taskfit::ThreadPool* pool) -> taskfit::Task<std::string> {
      co_return co_await taskfit::run_in_executor(*pool, blocking_io);
    }(&pool));
  for (int i = 0; i < 3; ++i)
    tasks.push_back(async_io());
  auto results = co_await taskfit::gather(std::move(tasks));
  std::printf("3. threading+asyncio: %zu results\n", results.size());
}

// 4. Multiprocessing + Multiprocessing: two process pools.
void multiprocessing_multiprocessing() {
  taskfit::ProcessPool pool1, pool2;
  std::vector<taskfit::Future<int>> futures;
  for (int i = 0; i < 3; ++i)
    futures.push_back(pool1.submit<&examples::cpu_task>());
  for (int i = 0; i < 3; ++i)
    futures.push_back(pool2.submit<&examples::cpu_task>());
  auto waited = taskfit::wait(futures);
  std::printf("4. multiprocessing+multiprocessing: %zu done\n", waited.done.size());
}

// 5. Multiprocessing + Asyncio: CPU work in processes awaited from the loop with async I/O.
taskfit::Task<void> multiprocessing_asyncio(taskfit::ProcessPool& pool) {
  std::vector<taskfit::Task<std::string>> tasks;
  for (int i = 0; i < 3; ++i)
    tasks.push_back([](taskfit::ProcessPool* pool) -> taskfit::Task<std::string> {
      int primes = co_await taskfit::run_in_executor<&examples::cpu_task>(*pool);
      co_return std::to_string(primes) + " primes";
    }(&pool));
  for (int i = 0; i < 3; ++i)
    tasks.push_back(async_io());
  auto results = co_await taskfit::gather(std::move(tasks));
  std::printf("5. multiprocessing+asyncio: %s, %s\n", results[0].c_str(), results[3].c_str());
}

// 6. Asyncio + Asyncio: a TaskGroup of different async tasks.
taskfit::Task<void> asyncio_asyncio() {
  taskfit::TaskGroup group;
  for (int i = 0; i < 3; ++i) {
    group.spawn(async_io());
    group.spawn([]() -> taskfit::Task<std::string> { // "async_network"
      co_await taskfit::sleep(examples::io_delay() / 2);
      co_return "network done";
    }());
  }
  co_await group.wait();
  std::printf("6. asyncio+asyncio: task group finished\n");
}

// 7. Three-way: async I/O on the loop, blocking I/O on threads, CPU work in processes.
taskfit::Task<void> three_way(taskfit::ProcessPool& processes) {
  taskfit::ThreadPool threads(4);
  std::vector<taskfit::Task<std::string>> tasks;
  for (int i = 0; i < 3; ++i)
    tasks.push_back(async_io());
  for (int i = 0; i < 3; ++i)
    tasks.push_back([](taskfit::ThreadPool* pool) -> taskfit::Task<std::string> {
      co_return co_await taskfit::run_in_executor(*pool, blocking_io);
    }(&threads));
  for (int i = 0; i < 3; ++i)
    tasks.push_back([](taskfit::ProcessPool* pool) -> taskfit::Task<std::string> {
      co_return std::to_string(co_await taskfit::run_in_executor<&examples::cpu_task>(*pool));
    }(&processes));
  auto results = co_await taskfit::gather(std::move(tasks));
  std::printf("7. three-way: %zu results (%s / %s / %s)\n", results.size(), results[0].c_str(),
              results[3].c_str(), results[6].c_str());
}

} // namespace

int main(int argc, char** argv) {
  // Fork the workers' server before anything else: small and single-threaded, cheap to fork from.
  auto fork_server = taskfit::ForkServer::start();
  const int only = argc > 1 ? std::atoi(argv[1]) : 0;
  auto wanted = [&](int number) { return only == 0 || only == number; };
  if (wanted(1))
    threading_threading();
  if (wanted(2))
    threading_multiprocessing();
  if (wanted(3))
    taskfit::run(threading_asyncio());
  if (wanted(4))
    multiprocessing_multiprocessing();
  if (wanted(5) || wanted(7)) {
    taskfit::ProcessPool pool({.fork_server = fork_server});
    if (wanted(5))
      taskfit::run(multiprocessing_asyncio(pool));
    if (wanted(6))
      taskfit::run(asyncio_asyncio());
    if (wanted(7))
      taskfit::run(three_way(pool));
  } else if (wanted(6)) {
    taskfit::run(asyncio_asyncio());
  }
  return 0;
}
