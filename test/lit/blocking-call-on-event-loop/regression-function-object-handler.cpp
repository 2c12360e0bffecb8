// Regression: a function object posted as a handler (an Asio handler class,
// rather than a lambda) was not resolved to its call operator, so its body
// was never checked. A class with several call operators stays unknown.
// RUN: not %taskfit --checks='-*,blocking-call-on-event-loop' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "asio.h"

#include <thread>

struct RetryHandler {
  int attempt = 0;
  void operator()() const {
    std::this_thread::sleep_for(std::chrono::milliseconds(100 * attempt));
    // CHECK: :[[@LINE-1]]:23: warning: 'RetryHandler::operator()' runs on the event loop and
    // CHECK-SAME: calls 'std::this_thread::sleep_for', which blocks (sleep);
    // CHECK-NEXT: {{^}}    std::this_thread::sleep_for(std::chrono::milliseconds(100 * attempt));
    // CHECK-NEXT: {{^}}                      ^
    // CHECK-NEXT: :[[@LINE+17]]:9: note: 'RetryHandler::operator()' runs on the event loop: it is
    // CHECK-SAME: passed to 'asio::post' here
  }
};

struct CountHandler {
  int* count;
  void operator()() const { ++*count; }
};

struct Overloaded {
  void operator()() const { std::this_thread::sleep_for(std::chrono::seconds(1)); }
  void operator()(int) const {}
};

void schedule(asio::io_context& io, asio::thread_pool& pool, int& count) {
  RetryHandler retry{2};
  asio::post(io, retry);
  asio::post(io, RetryHandler{3});
  asio::post(io, CountHandler{&count});
  asio::post(io, Overloaded{}); // Which overload runs is a guess: unknown.
  asio::post(pool, RetryHandler{1});
}
