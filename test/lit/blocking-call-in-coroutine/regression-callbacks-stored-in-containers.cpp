// Regression: a lambda given to a container's emplace_back, emplace or
// insert_or_assign, or assigned to a std::function, was assumed to run inline,
// so registering a callback from a coroutine was reported. Those members
// store their argument; algorithms (std::for_each) still run it.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

void nap() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

struct Registry {
  std::vector<std::function<void()>> on_shutdown;
  std::map<std::string, std::function<void()>> handlers;
  std::function<void()> on_error;
};

taskfit::Task<void> register_callbacks(Registry& registry, std::vector<int> ids) {
  registry.on_shutdown.emplace_back([] { nap(); });
  registry.handlers.emplace("flush", [] { nap(); });
  registry.handlers.insert_or_assign("sync", [] { nap(); });
  registry.handlers["reload"] = [] { nap(); };
  registry.on_error = [] { nap(); };
  std::for_each(ids.begin(), ids.end(), [](int) { nap(); });
  // CHECK: :[[@LINE-1]]:41: warning: coroutine 'register_callbacks' runs 'lambda at
  // CHECK-SAME: which blocks in 'std::this_thread::sleep_for' (sleep);
  co_return;
}
