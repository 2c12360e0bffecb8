// Regression: two instantiations of one template that differ only in the
// lambda they are given, written in the same function, had the same USR, so
// linking merged them: the harmless one was reported as blocking (or the
// blocking one missed). Each lambda's place now tells them apart.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <thread>

void nap() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

template <class F>
void with_timeout(F operation) {
  operation();
}

template <class F>
struct Deferred {
  F action;
  void run() { action(); }
};

taskfit::Task<void> handler() {
  with_timeout([] {});
  with_timeout([] { nap(); });
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'handler' calls 'with_timeout', which blocks in
  // CHECK-SAME: 'std::this_thread::sleep_for' (sleep);
  with_timeout([] {});
  auto quick = [] {};
  auto slow = [] { nap(); };
  Deferred<decltype(quick)> first{quick};
  Deferred<decltype(slow)> second{slow};
  first.run();
  second.run();
  // CHECK: :[[@LINE-1]]:10: warning: coroutine 'handler' calls 'Deferred::run', which blocks in
  // CHECK-SAME: 'std::this_thread::sleep_for' (sleep);
  co_return;
}
