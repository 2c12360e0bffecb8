// Regression: a handler reached the executor through a template's parameter
// or through std::move (`asio::post(io, std::move(handler))`), which hid it:
// such handlers were never checked. A closure is now recognised by its type.
// RUN: not %taskfit --checks='-*,blocking-call-on-event-loop' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "asio.h"

#include <thread>
#include <utility>

void nap() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

template <class Handler>
void defer(asio::io_context& io, Handler handler) {
  asio::post(io, std::move(handler));
}

template <class Handler>
void in_background(asio::thread_pool& pool, Handler&& handler) {
  asio::post(pool, std::forward<Handler>(handler));
}

void schedule(asio::io_context& io, asio::thread_pool& pool) {
  defer(io, [] { nap(); });
  // CHECK: :[[@LINE-1]]:18: warning: 'lambda at {{.*}}:[[@LINE-1]]:13' runs on the event loop and
  // CHECK-SAME: calls 'nap', which blocks in 'std::this_thread::sleep_for' (sleep);
  // CHECK: :[[@LINE-12]]:9: note: 'lambda at {{.*}}' runs on the event loop: it is passed to
  // CHECK-SAME: 'asio::post' here
  auto flush = [] { nap(); };
  // CHECK: :[[@LINE-1]]:21: warning: 'lambda at {{.*}}:[[@LINE-1]]:16' runs on the event loop and
  // CHECK-SAME: calls 'nap', which blocks in 'std::this_thread::sleep_for' (sleep);
  // CHECK: :[[@LINE+2]]:9: note: 'lambda at {{.*}}' runs on the event loop: it is passed to
  // CHECK-SAME: 'asio::post' here
  asio::post(io, std::move(flush));
  in_background(pool, [] { nap(); }); // A thread pool: off the loop.
}
