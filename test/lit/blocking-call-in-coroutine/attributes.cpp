// Clang's function effect attributes: [[clang::blocking]] makes a user
// function a blocking API (category 'annotated'), declared or defined, and
// directly or through helpers; [[clang::nonblocking]] is trusted, whatever its
// body does.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <thread>

void flush_journal() [[clang::blocking]]; // Defined in another library.
void wait_for_quorum() [[clang::blocking]] {}
void persist() {
  flush_journal();
}

int cached_lookup(int key) [[clang::nonblocking]];
int cached_lookup(int key) [[clang::nonblocking]] {
  std::this_thread::sleep_for(std::chrono::milliseconds(key)); // Trusted anyway.
  return key;
}
int plain_lookup(int key) {
  return cached_lookup(key);
}

taskfit::Task<void> commit() {
  flush_journal();
  // CHECK: attributes.cpp:[[@LINE-1]]:3: warning: coroutine 'commit' calls 'flush_journal', which
  // CHECK-SAME: blocks (annotated); offload the call with co_await taskfit::to_thread(...)
  // CHECK-SAME: [blocking-call-in-coroutine]
  wait_for_quorum();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'commit' calls 'wait_for_quorum', which blocks
  // CHECK-SAME: (annotated);
  persist();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'commit' calls 'persist', which blocks in
  // CHECK-SAME: 'flush_journal' (annotated); offload the call with co_await
  // CHECK-SAME: taskfit::to_thread(...) or make 'persist' asynchronous
  // CHECK-SAME: [blocking-call-in-coroutine]
  // CHECK: attributes.cpp:[[@LINE-25]]:3: note: 'persist' calls 'flush_journal', which blocks
  // CHECK-SAME: (annotated): offload the call with co_await taskfit::to_thread(...)
  cached_lookup(1);
  plain_lookup(2);
  co_return;
}
