// A lambda called inline (at once, through a variable, or by an algorithm)
// runs in the coroutine. A lambda handed to an offload wrapper
// (taskfit::to_thread, a thread pool, std::async, std::thread) runs on
// another thread: exempt; but waiting for its result with .get() blocks.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <algorithm>
#include <functional>
#include <future>
#include <thread>
#include <vector>

void nap() {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

taskfit::Task<void> inline_lambdas(std::vector<int> values) {
  [] { nap(); }();
  // CHECK: lambdas.cpp:[[@LINE-1]]:3: warning: coroutine 'inline_lambdas' calls 'lambda at
  // CHECK-SAME: lambdas.cpp:[[@LINE-2]]:3', which blocks in 'std::this_thread::sleep_for'
  // CHECK-SAME: (sleep); offload the call with co_await taskfit::to_thread(...) or make 'lambda
  // CHECK-SAME: at {{.*}}lambdas.cpp:[[@LINE-4]]:3' asynchronous [blocking-call-in-coroutine]
  // CHECK-NEXT: {{^}}  [] { nap(); }();
  // CHECK-NEXT: {{^}}  ^
  // CHECK-NEXT: lambdas.cpp:[[@LINE-7]]:8: note: 'lambda at {{.*}}lambdas.cpp:[[@LINE-7]]:3'
  // CHECK-SAME: calls 'nap' here
  // CHECK-NEXT: lambdas.cpp:[[@LINE-13]]:21: note: 'nap' calls 'std::this_thread::sleep_for',
  // CHECK-SAME: which blocks (sleep): {{.*}}
  auto retry = [](int attempts) {
    for (int i = 0; i < attempts; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(i));
  };
  retry(3);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'inline_lambdas' calls 'lambda at
  // CHECK-SAME: lambdas.cpp:[[@LINE-6]]:16', which blocks in 'std::this_thread::sleep_for'
  // CHECK-SAME: (sleep);
  std::for_each(values.begin(), values.end(), [](int) { nap(); });
  // CHECK: :[[@LINE-1]]:47: warning: coroutine 'inline_lambdas' runs 'lambda at
  // CHECK-SAME: lambdas.cpp:[[@LINE-2]]:47', which blocks in 'std::this_thread::sleep_for'
  // CHECK-SAME: (sleep);
  // CHECK: lambdas.cpp:[[@LINE-4]]:57: note: 'lambda at {{.*}}lambdas.cpp:[[@LINE-4]]:47' calls
  // CHECK-SAME: 'nap' here
  std::sort(values.begin(), values.end(), [](int a, int b) {
    nap();
    return a < b;
  });
  // CHECK: :[[@LINE-4]]:43: warning: coroutine 'inline_lambdas' runs 'lambda at
  // CHECK-SAME: lambdas.cpp:[[@LINE-5]]:43', which blocks in 'std::this_thread::sleep_for'
  // CHECK-SAME: (sleep);
  auto by_value = [](int a, int b) { return a > b; };
  std::sort(values.begin(), values.end(), by_value); // Does not block.
  co_return;
}

taskfit::Task<int> offloaded(taskfit::ThreadPool& pool) {
  co_await taskfit::to_thread([] { nap(); });
  co_await taskfit::to_thread(nap);
  auto load = [] {
    nap();
    return 1;
  };
  int loaded = co_await taskfit::to_thread(load);
  co_await pool.submit([] { nap(); });
  auto pending = std::async(std::launch::async, [] {
    nap();
    return 2;
  });
  std::thread([] { nap(); }).detach();
  std::thread worker(nap);
  worker.detach();
  // Waiting for the offloaded work is the blocking part.
  int two = pending.get();
  // CHECK: :[[@LINE-1]]:21: warning: coroutine 'offloaded' calls 'std::future::get', which blocks
  // CHECK-SAME: (sync-wait); {{.*}} [blocking-call-in-coroutine]
  int three = std::async(std::launch::async, [] { return 3; }).get();
  // CHECK: :[[@LINE-1]]:64: warning: coroutine 'offloaded' calls 'std::future::get', which blocks
  // CHECK-SAME: (sync-wait);
  co_return loaded + two + three;
}

// A lambda stored for later is not called here.
taskfit::Task<void> stored(std::vector<std::function<void()>>& on_shutdown) {
  on_shutdown.push_back([] { nap(); });
  std::function<void()> flush = [] { nap(); };
  on_shutdown.push_back(flush);
  co_await taskfit::to_thread(std::move(flush));
}

// Inside offloaded work, inline lambdas are offloaded too.
taskfit::Task<void> nested(std::vector<int> values) {
  co_await taskfit::to_thread([values]() mutable {
    std::for_each(values.begin(), values.end(), [](int) { nap(); });
    [] { nap(); }();
  });
}
