// Regression: a non-zero chrono literal (`1s`, `250ms`) given to an API with
// a zero-duration predicate crashed the analyser. libstdc++'s integer chrono
// literals are literal operator templates, whose call has no argument, and
// the zero test read the (absent) cooked literal. The TU must be analysed
// (exit 1 with findings, not 2) and the zero literal still recognised.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:" \
// RUN:   --implicit-check-not="error:"
#include "coro.h"

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

taskfit::Task<void> literals(std::future<int>& result, std::condition_variable& cv,
                             std::unique_lock<std::mutex>& lock) {
  std::this_thread::sleep_for(1s);
  // CHECK: :[[@LINE-1]]:21: warning: coroutine 'literals' calls 'std::this_thread::sleep_for',
  // CHECK-SAME: which blocks (sleep);
  std::this_thread::sleep_for(250ms);
  // CHECK: :[[@LINE-1]]:21: warning: coroutine 'literals' calls 'std::this_thread::sleep_for',
  // CHECK-SAME: which blocks (sleep);
  std::this_thread::sleep_for(1.5s);
  // CHECK: :[[@LINE-1]]:21: warning: coroutine 'literals' calls 'std::this_thread::sleep_for',
  // CHECK-SAME: which blocks (sleep);
  result.wait_for(2s);
  // CHECK: :[[@LINE-1]]:10: warning: coroutine 'literals' calls '{{.*}}::wait_for', which blocks
  // CHECK-SAME: (sync-wait);
  cv.wait_for(lock, 100ms);
  // CHECK: :[[@LINE-1]]:6: warning: coroutine 'literals' calls
  // CHECK-SAME: 'std::condition_variable::wait_for', which blocks (sync-wait);
  std::this_thread::sleep_for(0s);
  std::this_thread::sleep_for(0.0s);
  result.wait_for(0ms);
  cv.wait_for(lock, 0s);
  co_return;
}
