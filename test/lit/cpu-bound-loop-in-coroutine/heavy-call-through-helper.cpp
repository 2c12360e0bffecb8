// A coroutine that reaches CPU-bound work through a helper is told how to fix
// what the helper does: a loop can be chunked with a suspension point, a
// CPU-heavy call (sorting a whole container) has no loop to yield in and can
// only be moved off the loop.
// RUN: not %taskfit --checks='-*,cpu-bound-loop-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <algorithm>
#include <string>
#include <vector>

void rank(std::vector<std::string>& names) { std::sort(names.begin(), names.end()); }

int score(const std::vector<int>& values) {
  int total = 0;
  for (int value : values) {
    total += value * value;
    total ^= total >> 3;
  }
  return total;
}

taskfit::Task<void> sorts_through_helper(std::vector<std::string> names) {
  rank(names);
  // CHECK: heavy-call-through-helper.cpp:[[@LINE-1]]:3: warning: coroutine 'sorts_through_helper' calls 'rank', which runs {{.*}}; offload the work with co_await taskfit::run_in_executor(cpu_pool, ...) on a pool sized to the cores (taskfit::ThreadPool::for_cpu()) [cpu-bound-loop-in-coroutine]
  co_return;
}

taskfit::Task<int> loops_through_helper(std::vector<int> values) {
  int total = score(values);
  // CHECK: heavy-call-through-helper.cpp:[[@LINE-1]]:15: warning: coroutine 'loops_through_helper' calls 'score', which runs {{.*}}; add a suspension point in the loop (co_await taskfit::yield()) or offload the work with {{.*}} [cpu-bound-loop-in-coroutine]
  co_return total;
}
