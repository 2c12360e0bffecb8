// Regression: a generator's body was never followed from its caller, so a
// coroutine iterating a generator that reads a file or sleeps looked clean.
// The body runs as the coroutine iterates it, on the coroutine's thread.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"
#include "generator.h"

#include <fstream>
#include <string>

cppcoro::generator<std::string> lines(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    co_yield line;
}

mini::generator<int> numbers(int n) {
  for (int i = 0; i < n; ++i)
    co_yield i;
}

taskfit::Task<std::size_t> count_lines(const std::string& path) {
  std::size_t count = 0;
  for (const std::string& line : lines(path))
    // CHECK: :[[@LINE-1]]:34: warning: coroutine 'count_lines' calls 'lines', which blocks in
    // CHECK-SAME: 'std::basic_ifstream::basic_ifstream' (file-io); offload the call with co_await
    // CHECK-SAME: taskfit::to_thread(...) or make 'lines' asynchronous
    // CHECK-SAME: [blocking-call-in-coroutine]
    // CHECK-NEXT: {{^}}  for (const std::string& line : lines(path))
    // CHECK-NEXT: {{^}}                                 ^
    // CHECK-NEXT: regression-generator-consumed-by-coroutine.cpp:[[@LINE-20]]:17: note: 'lines'
    // CHECK-SAME: calls 'std::basic_ifstream::basic_ifstream', which blocks (file-io): {{.*}}
    count += !line.empty();
  for (int i : numbers(3)) // Does not block.
    count += i;
  co_return count;
}
