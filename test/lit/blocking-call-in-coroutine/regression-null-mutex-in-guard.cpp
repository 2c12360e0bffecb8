// Regression: a policy class whose lock() and unlock() do nothing (the null
// mutex of a single-threaded logger sink) locks nothing, also when a standard
// guard takes it: `std::lock_guard<NullMutex>` around blocking work makes no
// waiter elsewhere wait. The same sink with a std::mutex is a lock held
// around blocking work, and a coroutine that takes it waits.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
// RUN: not %taskfit --config=%inputs/all-lock-waits.yaml --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --check-prefix=STRICT
#include "coro.h"

#include <mutex>
#include <unistd.h>

struct NullMutex {
  void lock() {}
  void unlock() {}
};

class SingleThreadSink {
public:
  void write(int value) {
    std::lock_guard<NullMutex> held(mutex_);
    last_ = value;
  }
  void flush() {
    std::lock_guard<NullMutex> held(mutex_);
    fsync(fd_);
  }

private:
  NullMutex mutex_;
  int fd_ = 1;
  int last_ = 0;
};

class SharedSink {
public:
  void write(int value) {
    std::lock_guard<std::mutex> held(mutex_);
    last_ = value;
  }
  void flush() {
    std::lock_guard<std::mutex> held(mutex_);
    fsync(fd_);
  }

private:
  std::mutex mutex_;
  int fd_ = 1;
  int last_ = 0;
};

taskfit::Task<void> log_single(SingleThreadSink& sink) {
  sink.write(1);
  co_return;
}

taskfit::Task<void> log_shared(SharedSink& sink) {
  sink.write(1);
  // CHECK: regression-null-mutex-in-guard.cpp:[[@LINE-1]]:8: warning: coroutine 'log_shared' calls 'SharedSink::write', which waits for {{.*}} held around blocking work;
  // STRICT: regression-null-mutex-in-guard.cpp:[[@LINE-2]]:8: warning: coroutine 'log_shared' calls 'SharedSink::write'
  co_return;
}
// STRICT-NOT: log_single
