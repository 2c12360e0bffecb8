// Regression: `std::move(task)` was taken for a call of `task`, because a
// lambda handed to any function that is no executor is assumed to run
// inline; so `co_await taskfit::to_thread(std::move(load))`, the usual way to
// offload a lambda kept in a variable, was reported. std::move and
// std::forward only cast; the executor sees the lambda through them.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <thread>
#include <utility>

void nap() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

taskfit::Task<void> offload_moved() {
  auto load = [] { nap(); };
  co_await taskfit::to_thread(std::move(load));
  auto save = [] { nap(); };
  auto kept = std::move(save);
  kept(); // Called here: blocks.
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'offload_moved' calls 'lambda at
  // CHECK-SAME: :[[@LINE-4]]:15', which blocks in 'std::this_thread::sleep_for' (sleep);
  co_return;
}
