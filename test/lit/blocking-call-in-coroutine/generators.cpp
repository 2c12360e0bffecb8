// A synchronous generator is not async context: its body runs in whoever
// iterates it. A listed generator type (cppcoro::generator) and an in-house
// type whose coroutines only co_yield (mini::generator) are both generators.
// RUN: %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --allow-empty \
// RUN:   --implicit-check-not="warning:"
#include "coro.h"
#include "generator.h"

#include <fstream>
#include <string>
#include <thread>

cppcoro::generator<std::string> lines(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    co_yield line;
}

mini::generator<int> paced_counter(int n) {
  for (int i = 0; i < n; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    co_yield i;
  }
}

mini::generator<int> squares(int n) {
  for (int i = 0; i < n; ++i) {
    int square = i * i;
    co_yield square;
  }
}

// Consumed by plain functions, on whatever thread calls them.
std::size_t count_lines(const std::string& path) {
  std::size_t count = 0;
  for (const std::string& line : lines(path))
    count += !line.empty();
  return count;
}

int sum_paced(int n) {
  int sum = 0;
  for (int i : paced_counter(n))
    sum += i;
  return sum;
}

// A coroutine may iterate a generator that does not block.
taskfit::Task<int> sum_of_squares(int n) {
  int sum = 0;
  for (int square : squares(n))
    sum += square;
  co_await taskfit::sleep(std::chrono::milliseconds(1));
  co_return sum;
}
