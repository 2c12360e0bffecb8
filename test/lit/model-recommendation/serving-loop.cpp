// A task started once whose body awaits in an unbounded loop serves an unbounded number of
// operations (an accept or a read loop): its volume is that loop's, not the one spawn's.
// Regression: such a task was "volume low (1)" and recommended a thread pool.
// RUN: %taskfit --checks='-*,model-recommendation' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="note:"
#include "asio.h"

asio::awaitable<void> next_request();
asio::awaitable<void> answer(int request);

void serve(asio::io_context& io) {
  asio::co_spawn(
      io,
      []() -> asio::awaitable<void> {
        for (;;) {
          co_await next_request();
          co_await answer(0);
        }
      },
      asio::detached);
  // CHECK: :[[@LINE-9]]:9: note: task 'lambda at {{.*}}' is io (awaits asynchronous operations in a loop), volume high, runs on event loop (event-loop) via asio::co_spawn; recommended: event loop
  // CHECK: :[[@LINE-8]]:7: note: task 'lambda at {{.*}}' is io (awaits asynchronous operations in a loop), volume high, runs on event loop (coroutine returning asio::awaitable); recommended: event loop

  // A task whose body awaits a bounded number of times keeps the volume of its spawn site.
  asio::co_spawn(
      io,
      []() -> asio::awaitable<void> {
        for (int i = 0; i < 3; ++i)
          co_await answer(i);
      },
      asio::detached);
  // CHECK: :[[@LINE-7]]:9: note: task 'lambda at {{.*}}' is io (awaits asynchronous operations in a loop), volume low (1), runs on event loop (event-loop) via asio::co_spawn;
  // CHECK: :[[@LINE-6]]:7: note: task 'lambda at {{.*}}' is io (awaits asynchronous operations in a loop), volume unknown, runs on event loop (coroutine returning asio::awaitable);
}
