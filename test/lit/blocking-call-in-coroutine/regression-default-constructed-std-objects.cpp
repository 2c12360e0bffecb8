// Regression: default-constructing a file stream, a lock owner or a directory
// iterator was reported as blocking because the rules list those
// constructors; without arguments they open, lock and read nothing.
// RUN: not %taskfit --config=%inputs/all-lock-waits.yaml --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <filesystem>
#include <fstream>
#include <mutex>

std::mutex guard;

taskfit::Task<void> declared_first(const char* path) {
  std::ofstream out;
  std::ifstream in;
  std::unique_lock<std::mutex> lock;
  std::scoped_lock<> nothing_to_lock;
  std::filesystem::directory_iterator end;
  std::filesystem::directory_entry entry;
  // Opening and locking later still block.
  out.open(path);
  // CHECK: :[[@LINE-1]]:7: warning: coroutine 'declared_first' calls 'std::basic_ofstream::open',
  // CHECK-SAME: which blocks (file-io);
  lock = std::unique_lock<std::mutex>(guard);
  // CHECK: :[[@LINE-1]]:10: warning: coroutine 'declared_first' calls
  // CHECK-SAME: 'std::unique_lock::unique_lock', which waits for 'guard' (sync-wait), held around
  // CHECK-SAME: blocking work;
  // CHECK-NEXT: {{^}}  lock = std::unique_lock<std::mutex>(guard);
  // CHECK-NEXT: {{^}}         ^
  // CHECK-NEXT: :[[@LINE+2]]:17: note: 'declared_first' holds 'guard' while it calls
  // CHECK-SAME: 'std::basic_ifstream::basic_ifstream', which blocks (file-io)
  std::ifstream opened(path);
  // CHECK: :[[@LINE-1]]:17: warning: coroutine 'declared_first' calls
  // CHECK-SAME: 'std::basic_ifstream::basic_ifstream', which blocks (file-io);
  co_return;
}
