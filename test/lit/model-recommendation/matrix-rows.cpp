// Every row of the default decision matrix, reached by one task site each.
// RUN: %taskfit --checks='-*,model-recommendation' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="note:"
#include "asio.h"
#include "coro.h"

#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

int transform(const std::vector<int>& pixels) {
  int sum = 0;
  for (int p : pixels) {
    sum += p * p;
    sum ^= sum >> 2;
    sum -= 1;
  }
  return sum;
}
void fetch(int fd) { char buffer[64]; ::read(fd, buffer, sizeof buffer); }
int lookup(int key) { return key + 1; }

struct Image {
  std::vector<int> pixels;
  template <class Archive> void serialize(Archive& archive) { archive(pixels); }
};
int transform_image(Image image) { return transform(image.pixels); }

void sites(taskfit::ThreadPool& pool, asio::thread_pool& cpu, std::vector<int> pixels, int fd,
           std::vector<Image> images) {
  pool.submit([] { return lookup(1); });
  // CHECK: :[[@LINE-1]]:8: note: task 'lambda at {{.*}}' is trivial (no blocking call and no CPU-bound work), volume low (1), runs on thread pool (io) via taskfit::ThreadPool::submit; recommended: sequential (a plain call): the work is too small for any executor's overhead to pay off [model-recommendation]

  asio::post(cpu, [pixels] { transform(pixels); });
  // CHECK: :[[@LINE-1]]:9: note: task 'lambda at {{.*}}' is cpu (runs a loop over 'pixels' and no suspension point), volume low (1), runs on thread pool (cpu) via asio::post; recommended: sequential (a plain call), alternative: thread pool sized to the cores:

  for (int i = 0; i < 64; ++i)
    asio::post(cpu, [&pixels] { transform(pixels); });
  // CHECK: :[[@LINE-1]]:11: note: task 'lambda at {{.*}}' is cpu ({{.*}}), volume low (64), runs on thread pool (cpu) via asio::post; recommended: thread pool sized to the cores (taskfit::ThreadPool::for_cpu()), alternative: process pool, once the payload is made serialisable:

  for (const Image& image : images)
    pool.submit(transform_image, image);
  // CHECK: :[[@LINE-1]]:10: note: task 'transform_image' is cpu ({{.*}}), volume unknown, runs on thread pool (io) via taskfit::ThreadPool::submit; recommended: process pool (taskfit::ProcessPool::submit / map), alternative: thread pool sized to the cores:

  pool.submit([fd] { fetch(fd); });
  // CHECK: :[[@LINE-1]]:8: note: task 'lambda at {{.*}}' is io (blocks in 'read' (file-io)), volume low (1), runs on thread pool (io) via taskfit::ThreadPool::submit; recommended: thread pool (taskfit::ThreadPool::submit / taskfit::to_thread), alternative: event loop:

  for (;;)
    pool.submit([fd] { fetch(fd); });
  // CHECK: :[[@LINE-1]]:10: note: task 'lambda at {{.*}}' is io ({{.*}}), volume high, runs on thread pool (io) via taskfit::ThreadPool::submit; recommended: event loop (taskfit::EventLoop (taskfit::run, taskfit::gather)), alternative: thread pool:
}

void from_sync_code(taskfit::ThreadPool& pool, std::vector<int> fds) {
  for (int fd : fds)
    pool.submit([fd] { fetch(fd); });
  // CHECK: :[[@LINE-1]]:10: note: task 'lambda at {{.*}}' is io ({{.*}}), volume unknown, runs on thread pool (io) via taskfit::ThreadPool::submit; recommended: thread pool (taskfit::ThreadPool::submit), alternative: event loop: from synchronous code,
}

taskfit::Task<void> mixed(std::vector<int> pixels, int fd) {
  // CHECK: :[[@LINE-1]]:21: note: task 'mixed' is mixed (blocks in 'read' (file-io), runs a loop over 'pixels' and no suspension point), volume unknown, runs on event loop (coroutine returning taskfit::Task); recommended: hybrid event loop + process pool (co_await taskfit::run_in_executor(process_pool, f) on a taskfit::EventLoop), alternative: thread pool + process pool:
  fetch(fd);
  co_return (void)transform(pixels);
}

taskfit::Task<void> awaits(int fd) {
  // CHECK: :[[@LINE-1]]:21: note: task 'awaits' is io (awaits asynchronous operations), volume unknown, runs on event loop (coroutine returning taskfit::Task); recommended: event loop (taskfit::EventLoop (taskfit::gather, taskfit::TaskGroup)), alternative: thread pool: the caller is already a coroutine
  co_await taskfit::sleep(std::chrono::milliseconds(fd));
}
