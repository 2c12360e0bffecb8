// Category sleep: the thread sleeps, and every task of its loop with it. A
// zero duration does not wait, and taskfit::sleep suspends only the coroutine.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <thread>
#include <unistd.h>

taskfit::Task<void> naps() {
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // CHECK: sleep.cpp:[[@LINE-1]]:21: warning: coroutine 'naps' calls
  // CHECK-SAME: 'std::this_thread::sleep_for', which blocks (sleep); In a coroutine `co_await
  // CHECK-SAME: taskfit::sleep(d)`{{.*}} [blocking-call-in-coroutine]
  // CHECK-NEXT: {{^}}  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // CHECK-NEXT: {{^}}                    ^
  std::this_thread::sleep_until(std::chrono::steady_clock::now() + std::chrono::seconds(1));
  // CHECK: sleep.cpp:[[@LINE-1]]:21: warning: coroutine 'naps' calls
  // CHECK-SAME: 'std::this_thread::sleep_until', which blocks (sleep);
  // CHECK-SAME: [blocking-call-in-coroutine]
  ::sleep(1);
  // CHECK: sleep.cpp:[[@LINE-1]]:5: warning: coroutine 'naps' calls 'sleep', which blocks
  // CHECK-SAME: (sleep); {{.*}} [blocking-call-in-coroutine]
  usleep(1000);
  // CHECK: sleep.cpp:[[@LINE-1]]:3: warning: coroutine 'naps' calls 'usleep', which blocks
  // CHECK-SAME: (sleep); {{.*}} [blocking-call-in-coroutine]
  co_await taskfit::sleep(std::chrono::milliseconds(50));
}

// A zero duration only yields the processor: none of these wait.
taskfit::Task<void> zero_durations() {
  constexpr auto none = std::chrono::milliseconds(0);
  std::this_thread::sleep_for(0s);
  std::this_thread::sleep_for(0ms);
  std::this_thread::sleep_for(std::chrono::seconds(0));
  std::this_thread::sleep_for(std::chrono::milliseconds::zero());
  std::this_thread::sleep_for(none);
  ::sleep(0);
  usleep(0);
  co_await taskfit::sleep(0s);
}

// The same calls outside any coroutine or event loop are fine.
void worker_thread_body() {
  std::this_thread::sleep_for(std::chrono::seconds(1));
  ::sleep(1);
}
