// Regression: a coroutine member of a class template was reported once per
// instantiation plus once for the template itself ('Handler<int>::run',
// 'Handler<double>::run', 'Handler::run'), all at the same line. Members of
// instantiations are now named after their template, as function templates
// already were, so each location is reported once.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <thread>

template <class Request>
struct Handler {
  void throttle() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }
  taskfit::Task<void> run(Request) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // CHECK: :[[@LINE-1]]:23: warning: coroutine 'Handler::run' calls
    // CHECK-SAME: 'std::this_thread::sleep_for', which blocks (sleep);
    co_return;
  }
  taskfit::Task<void> run_throttled(Request) {
    throttle();
    // CHECK: :[[@LINE-1]]:5: warning: coroutine 'Handler::run_throttled' calls
    // CHECK-SAME: 'Handler::throttle', which blocks in 'std::this_thread::sleep_for' (sleep);
    // CHECK-NEXT: {{^}}    throttle();
    // CHECK-NEXT: {{^}}    ^
    // CHECK-NEXT: :[[@LINE-13]]:39: note: 'Handler::throttle' calls
    // CHECK-SAME: 'std::this_thread::sleep_for', which blocks (sleep): {{.*}}
    co_return;
  }
};

taskfit::Task<void> dispatch() {
  Handler<int> numbers;
  Handler<double> reals;
  co_await numbers.run(1);
  co_await reals.run(2.0);
  co_await numbers.run_throttled(3);
  co_await reals.run_throttled(4.0);
}
