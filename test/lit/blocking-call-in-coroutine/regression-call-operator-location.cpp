// Regression: a call through operator() or operator[] was reported at its
// closing bracket (`retry(3)` at the `)`), which is where clang keeps the
// "operator" of these calls. It is now reported at the start of the call, as
// clang does; other operators stay at the operator (`in >> word`).
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <fstream>
#include <string>
#include <thread>

struct Throttle {
  void operator()(int ms) const { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }
};

struct DiskTable {
  std::string operator[](const std::string& key) const {
    std::ifstream in("/var/lib/table/" + key);
    return key;
  }
};

taskfit::Task<void> calls(const DiskTable& table, std::ifstream& in) {
  auto retry = [](int times) { std::this_thread::sleep_for(std::chrono::milliseconds(times)); };
  retry(3);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'calls' calls 'lambda at {{.*}}:[[@LINE-2]]:16',
  // CHECK-SAME: which blocks in 'std::this_thread::sleep_for' (sleep);
  // CHECK-NEXT: {{^}}  retry(3);
  // CHECK-NEXT: {{^}}  ^
  Throttle throttle;
  throttle(5);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'calls' calls 'Throttle::operator()', which blocks
  // CHECK-SAME: in 'std::this_thread::sleep_for' (sleep);
  std::string row = table["users"];
  // CHECK: :[[@LINE-1]]:21: warning: coroutine 'calls' calls 'DiskTable::operator[]', which
  // CHECK-SAME: blocks in 'std::basic_ifstream::basic_ifstream' (file-io);
  std::string word;
  in >> word;
  // CHECK: :[[@LINE-1]]:6: warning: coroutine 'calls' calls 'std::operator>>', which blocks
  // CHECK-SAME: (file-io);
  co_return;
}
