// Regression: taskfit::EventLoop::call_soon takes a std::function, so the
// lambda or function handed to it arrives through std::function's converting
// constructor, which hid it: callbacks given to call_soon were never checked.
// A pool's submit, also matched through its callable, stays exempt.
// RUN: not %taskfit --checks='-*,blocking-call-on-event-loop' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <functional>
#include <thread>

void nap() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void on_timer() {
  nap();
  // CHECK: :[[@LINE-1]]:3: warning: 'on_timer' runs on the event loop and calls 'nap', which
  // CHECK-SAME: blocks in 'std::this_thread::sleep_for' (sleep);
  // CHECK: :[[@LINE-7]]:21: note: 'nap' calls 'std::this_thread::sleep_for', which blocks
  // CHECK-SAME: (sleep): {{.*}}
  // CHECK-NEXT: :[[@LINE+10]]:8: note: 'on_timer' runs on the event loop: it is passed to
  // CHECK-SAME: 'taskfit::EventLoop::call_soon' here
}

void schedule(taskfit::EventLoop& loop, taskfit::ThreadPool& pool) {
  loop.call_soon([] { nap(); });
  // CHECK: :[[@LINE-1]]:23: warning: 'lambda at {{.*}}:[[@LINE-1]]:18' runs on the event loop and
  // CHECK-SAME: calls 'nap', which blocks in 'std::this_thread::sleep_for' (sleep);
  // CHECK: :[[@LINE-3]]:8: note: 'lambda at {{.*}}' runs on the event loop: it is passed to
  // CHECK-SAME: 'taskfit::EventLoop::call_soon' here
  loop.call_soon(on_timer);
  std::function<void()> retry = [] { nap(); };
  // CHECK: :[[@LINE-1]]:38: warning: 'lambda at {{.*}}:[[@LINE-1]]:33' runs on the event loop and
  // CHECK-SAME: calls 'nap', which blocks in 'std::this_thread::sleep_for' (sleep);
  loop.call_soon(retry);
  loop.call_soon([] {}); // Does not block.
  pool.submit([] { nap(); });
  pool.submit(std::function<void()>([] { nap(); }));
}

// Scheduled from a coroutine, the callback is still the loop's, not the
// coroutine's inline code.
taskfit::Task<void> later(taskfit::EventLoop& loop) {
  loop.call_soon([] { nap(); });
  // CHECK: :[[@LINE-1]]:23: warning: 'lambda at {{.*}}' runs on the event loop and calls 'nap',
  // CHECK-SAME: which blocks in 'std::this_thread::sleep_for' (sleep);
  co_await taskfit::sleep(std::chrono::milliseconds(1));
}
