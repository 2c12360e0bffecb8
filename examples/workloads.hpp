// The seeds' stand-in workloads, shared by the examples: blocking I/O (a sleep standing for a
// network or disk wait), asynchronous I/O (the same wait on the event loop) and CPU work (primes).
#pragma once

#include <chrono>
#include <cstdlib>
#include <string>
#include <taskfit/runtime.hpp>
#include <thread>

namespace examples {

// Short enough for the test suite, long enough that concurrency shows in the timings.
inline std::chrono::milliseconds io_delay() {
  const char* value = std::getenv("TASKFIT_EXAMPLE_IO_MS");
  return std::chrono::milliseconds(value != nullptr ? std::atoi(value) : 50);
}

// Blocking I/O: fine on a thread, a bug on the event loop.
inline std::string blocking_io() {
  std::this_thread::sleep_for(io_delay());
  return "blocking io done";
}

// Asynchronous I/O: suspends the task, the loop runs others meanwhile.
inline taskfit::Task<std::string> async_io() {
  co_await taskfit::sleep(io_delay());
  co_return "async io done";
}

// CPU-bound: seeds/003's cpu_bound_task, trial division up to n. Plain function of values, so
// it can run in a ProcessPool.
inline int count_primes(int n) {
  int count = 0;
  for (int candidate = 2; candidate < n; ++candidate) {
    bool prime = true;
    for (int divisor = 2; divisor * divisor <= candidate; ++divisor) {
      if (candidate % divisor == 0) {
        prime = false;
        break;
      }
    }
    count += prime ? 1 : 0;
  }
  return count;
}

inline int cpu_task() {
  return count_primes(200'000);
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace examples
