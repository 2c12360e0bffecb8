// Templates: a function template's instantiation and a class template's
// member are followed like any helper, and a template coroutine is reported
// once however often it is instantiated. Macros: a finding inside a macro is
// reported where the macro is expanded, with a note naming the macro; a call
// written as a macro argument is reported where it is written.
// RUN: not %taskfit --config=%inputs/all-lock-waits.yaml --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <cstdio>
#include <mutex>
#include <thread>

template <class T>
T with_delay(T value) {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return value;
}

template <class T>
T identity(T value) {
  return value;
}

template <class Key>
class DiskCache {
public:
  Key load(Key key) {
    std::FILE* file = std::fopen("cache.bin", "rb");
    std::fclose(file);
    return key;
  }
  Key peek(Key key) const { return key; }
};

taskfit::Task<int> use_templates() {
  int a = with_delay(1);
  // CHECK: templates-macros.cpp:[[@LINE-1]]:11: warning: coroutine 'use_templates' calls
  // CHECK-SAME: 'with_delay', which blocks in 'std::this_thread::sleep_for' (sleep);
  // CHECK-NEXT: {{^}}  int a = with_delay(1);
  // CHECK-NEXT: {{^}}          ^
  // CHECK-NEXT: templates-macros.cpp:[[@LINE-26]]:21: note: 'with_delay' calls
  // CHECK-SAME: 'std::this_thread::sleep_for', which blocks (sleep): {{.*}}
  double b = with_delay(2.0);
  // CHECK: :[[@LINE-1]]:14: warning: coroutine 'use_templates' calls 'with_delay', which blocks
  // CHECK-SAME: in 'std::this_thread::sleep_for' (sleep);
  int c = identity(3);
  DiskCache<int> cache;
  cache.load(4);
  // CHECK: :[[@LINE-1]]:9: warning: coroutine 'use_templates' calls 'DiskCache::load', which
  // CHECK-SAME: blocks in 'fopen' (file-io);
  // CHECK: templates-macros.cpp:[[@LINE-23]]:28: note: 'DiskCache::load' calls 'fopen', which
  // CHECK-SAME: blocks (file-io): {{.*}}
  cache.peek(5);
  co_return a + static_cast<int>(b) + c;
}

template <class T>
taskfit::Task<T> delayed(T value) {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // CHECK: :[[@LINE-1]]:21: warning: coroutine 'delayed' calls 'std::this_thread::sleep_for',
  // CHECK-SAME: which blocks (sleep);
  co_return value;
}

template <class Lockable>
taskfit::Task<void> guarded(Lockable& lock) {
  lock.lock(); // Dependent: only instantiations know it is std::mutex::lock.
  // CHECK: :[[@LINE-1]]:8: warning: coroutine 'guarded' calls 'std::mutex::lock', which blocks
  // CHECK-SAME: (sync-wait);
  lock.unlock();
  co_return;
}

struct NoLock {
  void lock() {}
  void unlock() {}
};

taskfit::Task<void> instantiate(std::mutex& mutex, NoLock& none) {
  co_await delayed(1);
  co_await delayed(2.0);
  co_await guarded(mutex);
  co_await guarded(none);
}

#define SNOOZE() std::this_thread::sleep_for(std::chrono::milliseconds(1))
#define LOGGED(statement)                                                                          \
  do {                                                                                             \
    std::fputs("running " #statement "\n", stderr);                                                \
    statement;                                                                                     \
  } while (0)
#define DELAYED with_delay

taskfit::Task<void> use_macros() {
  SNOOZE();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'use_macros' calls 'std::this_thread::sleep_for',
  // CHECK-SAME: which blocks (sleep);
  // CHECK: :[[@LINE-3]]:3: note: expanded from macro 'SNOOZE'
  LOGGED(std::this_thread::sleep_for(std::chrono::milliseconds(2)));
  // CHECK: :[[@LINE-1]]:28: warning: coroutine 'use_macros' calls 'std::this_thread::sleep_for',
  // CHECK-SAME: which blocks (sleep);
  // CHECK-NOT: expanded from macro
  LOGGED(identity(1));
  DELAYED(3);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'use_macros' calls 'with_delay', which blocks in
  // CHECK-SAME: 'std::this_thread::sleep_for' (sleep);
  // CHECK: :[[@LINE-3]]:3: note: expanded from macro 'DELAYED'
  co_return;
}
