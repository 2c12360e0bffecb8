// `map` creates one task per element: a range of known size gives the volume.
// RUN: %taskfit --checks='-*,model-recommendation' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="note:"
#include "coro.h"

#include <array>
#include <unistd.h>
#include <vector>

int fetch(int fd) {
  char buffer[16];
  return static_cast<int>(::read(fd, buffer, sizeof buffer));
}

void known(taskfit::ThreadPool& pool) {
  std::array<int, 2000> fds{};
  pool.map(fetch, fds);
  // CHECK: :[[@LINE-1]]:8: note: task 'fetch' is io (blocks in 'read' (file-io)), volume high (2000), runs on thread pool (io) via taskfit::ThreadPool::map; recommended: event loop
  pool.map(fetch, std::vector<int>{3, 4, 5});
  // CHECK: :[[@LINE-1]]:8: note: task 'fetch' is io (blocks in 'read' (file-io)), volume low (3), runs on thread pool (io) via taskfit::ThreadPool::map; recommended: thread pool
}

void unknown(taskfit::ThreadPool& pool, const std::vector<int>& fds) {
  pool.map(fetch, fds);
  // CHECK: :[[@LINE-1]]:8: note: task 'fetch' is io (blocks in 'read' (file-io)), volume unknown, runs on thread pool (io) via taskfit::ThreadPool::map; recommended: thread pool (taskfit::ThreadPool::submit), alternative: event loop: from synchronous code
}
