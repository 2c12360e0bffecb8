// The fix a message names fits the code it is in: an asio::awaitable is told
// to run the call on an asio::thread_pool through co_spawn, a handler posted
// to an io_context to post it to a pool, a taskfit::Task to use to_thread.
// The advice is the packs' (`offload:` on task types and executors).
// RUN: not %taskfit --checks='-*,blocking-call-*' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "asio.h"
#include "coro.h"

#include <cstdio>

void persist() {
  std::FILE* file = std::fopen("/var/lib/app/state", "w");
  std::fclose(file);
}

asio::awaitable<void> save_in_asio() {
  persist();
  // CHECK: advice-in-the-framework.cpp:[[@LINE-1]]:3: warning: coroutine 'save_in_asio' calls 'persist', which blocks in 'fopen' (file-io); run the call on an `asio::thread_pool` and await it (`co_await asio::co_spawn(pool, [&]() -> asio::awaitable<void> { call(); co_return; }, asio::use_awaitable)`) or make 'persist' asynchronous [blocking-call-in-coroutine]
  co_return;
}

taskfit::Task<void> save_in_taskfit() {
  persist();
  // CHECK: advice-in-the-framework.cpp:[[@LINE-1]]:3: warning: coroutine 'save_in_taskfit' calls 'persist', which blocks in 'fopen' (file-io); offload the call with co_await taskfit::to_thread(...) or make 'persist' asynchronous [blocking-call-in-coroutine]
  co_return;
}

void save_on_loop(asio::io_context& io) {
  asio::post(io, [] { persist(); });
  // CHECK: advice-in-the-framework.cpp:[[@LINE-1]]:23: warning: 'lambda at {{.*}}' runs on the event loop and calls 'persist', which blocks in 'fopen' (file-io); post the call to an `asio::thread_pool` (`asio::post(pool, f)`) and post its result back to the loop's executor or make 'persist' asynchronous [blocking-call-on-event-loop]
}
