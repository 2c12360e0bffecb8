// RUN: not %taskfit --checks='-*,cpu-bound-loop-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <algorithm>
#include <string>
#include <vector>

int checksum(const std::string& text);

taskfit::Task<int> over_input(std::vector<std::string> lines) {
  int total = 0;
  for (const auto& line : lines) {
    // CHECK: :[[@LINE-1]]:3: warning: coroutine 'over_input' runs a loop over 'lines' and no suspension point; add a suspension point in the loop (co_await taskfit::yield()) or offload the work with co_await taskfit::run_in_executor(cpu_pool, ...) on a pool sized to the cores (taskfit::ThreadPool::for_cpu()) [cpu-bound-loop-in-coroutine]
    int sum = checksum(line);
    total += sum;
    total ^= total >> 3;
  }
  co_return total;
}

taskfit::Task<int> yields_each_item(std::vector<std::string> lines) {
  int total = 0;
  for (const auto& line : lines) {
    total += checksum(line);
    total ^= total >> 3;
    co_await taskfit::yield();
  }
  co_return total;
}

taskfit::Task<int> small_constant_loop() {
  int total = 0;
  for (int i = 0; i < 8; ++i) {
    total += i;
    total *= 3;
    total ^= total >> 1;
  }
  co_return total;
}

taskfit::Task<long> large_constant_loop() {
  long total = 0;
  for (long i = 0; i < 50'000'000; ++i) {
    // CHECK: :[[@LINE-1]]:3: warning: coroutine 'large_constant_loop' runs a loop of 50000000 iterations and no suspension point;
    total += i;
    total *= 3;
    total ^= total >> 1;
  }
  co_return total;
}

taskfit::Task<int> nested(int rows, int columns) {
  int total = 0;
  for (int r = 0; r < rows; ++r)
    // CHECK: :[[@LINE-1]]:3: warning: coroutine 'nested' runs a loop bounded by a parameter ('rows') with nested loops and no suspension point;
    for (int c = 0; c < columns; ++c)
      total += r * c;
  co_return total;
}

taskfit::Task<int> trivial_body(std::vector<int> values) {
  int total = 0;
  for (int v : values)
    total += v;
  co_return total;
}

taskfit::Task<void> serves_forever(std::vector<int>& queue) {
  for (;;) {
    co_await taskfit::sleep(std::chrono::milliseconds(10));
    queue.push_back(1);
    queue.pop_back();
    queue.clear();
  }
}

taskfit::Task<void> spins_forever(std::vector<int>& queue) {
  for (;;) {
    // CHECK: :[[@LINE-1]]:3: warning: coroutine 'spins_forever' runs an unbounded loop and no suspension point;
    queue.push_back(1);
    queue.pop_back();
    queue.clear();
  }
  co_return;
}

taskfit::Task<void> sorts(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  // CHECK: :[[@LINE-1]]:8: warning: coroutine 'sorts' calls 'std::sort' (algorithms), which is CPU-heavy; {{.*}} [cpu-bound-loop-in-coroutine]
  co_await taskfit::yield();
}

taskfit::Task<void> offloaded(std::vector<std::string> names) {
  co_await taskfit::to_thread([&] { std::sort(names.begin(), names.end()); });
}

int weigh(const std::vector<int>& values) {
  int total = 0;
  for (int v : values) {
    total += v * v;
    total ^= total >> 2;
    total -= 1;
  }
  return total;
}

int weigh_twice(const std::vector<int>& values) { return weigh(values) + weigh(values); }

taskfit::Task<int> through_helpers(std::vector<int> values) {
  co_return weigh_twice(values);
  // CHECK: :[[@LINE-1]]:13: warning: coroutine 'through_helpers' calls 'weigh_twice', which runs a loop over 'values' and no suspension point;
  // CHECK: :[[@LINE-5]]:58: note: 'weigh_twice' calls 'weigh' here
  // CHECK: :[[@LINE-14]]:3: note: 'weigh' runs a loop over 'values' and no suspension point
}

// Callbacks on an event loop are held to the same rule.
[[clang::annotate("taskfit::event_loop")]] void on_frame(const std::vector<int>& pixels) {
  int total = 0;
  for (int p : pixels) {
    // CHECK: :[[@LINE-1]]:3: warning: 'on_frame' runs on the event loop and runs a loop over 'pixels' and no suspension point;
    total += p * 3;
    total ^= p;
    total -= 1;
  }
}
