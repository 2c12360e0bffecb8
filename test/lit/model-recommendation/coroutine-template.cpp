// Regression: a coroutine template's return type (`asio::awaitable<T>` with T
// a template parameter) has no class behind it until instantiation; the note
// said "coroutine returning )". It names the task type, as for any coroutine.
// RUN: %taskfit --checks='-*,model-recommendation' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="note:"
#include "asio.h"

asio::awaitable<void> next_request();

template <class Reply>
asio::awaitable<Reply> serve(Reply reply) {
  for (;;) {
    co_await next_request();
    if (reply)
      co_return reply;
  }
}
// CHECK: :[[@LINE-7]]:24: note: task 'serve' is io (awaits asynchronous operations in a loop), volume high, runs on event loop (coroutine returning asio::awaitable); recommended: event loop
