// Waiting for a lock is blocking when the lock is held long elsewhere: some
// function holds the same lock (a global, or the same member of the same
// type) around blocking I/O or CPU-bound work. The finding gives both chains:
// the waiter's and the holder's. A short critical section is not reported; a
// condition wait releases the lock it is given, so holding the lock around it
// does not count. With all-lock-waits every acquisition is reported (STRICT).
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
// RUN: not %taskfit --config=%inputs/all-lock-waits.yaml --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --check-prefix=STRICT
#include "coro.h"

#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>

// A global lock held around file I/O by the refresher.
std::mutex cache_mutex;
std::map<std::string, std::string> cache;

void refresh_cache() {
  std::lock_guard<std::mutex> held(cache_mutex);
  FILE* f = std::fopen("/etc/cache", "r");
  std::fclose(f);
}

taskfit::Task<void> lookup(std::string key) {
  std::lock_guard<std::mutex> held(cache_mutex);
  // CHECK: locks-held-long.cpp:[[@LINE-1]]:31: warning: coroutine 'lookup' calls 'std::lock_guard::lock_guard', which waits for 'cache_mutex' (sync-wait), held around blocking work; {{.*}} [blocking-call-in-coroutine]
  // CHECK: locks-held-long.cpp:[[@LINE-7]]:18: note: 'refresh_cache' holds 'cache_mutex' while it calls 'fopen', which blocks (file-io)
  (void)cache[key];
  co_return;
}

// The same member of the same type, held around CPU-bound work by another
// member function; the waiter takes it through a helper.
class Registry {
public:
  void rebuild(const std::vector<int>& entries) {
    std::lock_guard<std::mutex> held(mutex_);
    for (int e : entries) {
      index_ += e * e;
      index_ ^= e;
      index_ -= 1;
    }
  }
  int find() {
    std::lock_guard<std::mutex> held(mutex_);
    return index_;
  }

private:
  std::mutex mutex_;
  int index_ = 0;
};

taskfit::Task<int> query(Registry& registry) {
  co_return registry.find();
  // CHECK: locks-held-long.cpp:[[@LINE-1]]:22: warning: coroutine 'query' calls 'Registry::find', which waits for 'Registry::mutex_' in 'std::lock_guard::lock_guard' (sync-wait), held around CPU-bound work; offload the call with co_await taskfit::to_thread(...) or make 'Registry::find' asynchronous
  // CHECK: locks-held-long.cpp:[[@LINE-12]]:33: note: 'Registry::find' calls 'std::lock_guard::lock_guard', which waits for 'Registry::mutex_' (sync-wait)
  // CHECK: locks-held-long.cpp:[[@LINE-20]]:5: note: 'Registry::rebuild' holds 'Registry::mutex_' while it runs a loop over 'entries' and no suspension point
}

// A short critical section: counted, never held around anything slow.
std::mutex counter_mutex;
int counter = 0;

void bump() {
  std::lock_guard<std::mutex> held(counter_mutex);
  ++counter;
}

taskfit::Task<void> count_request() {
  std::lock_guard<std::mutex> held(counter_mutex);
  // STRICT: locks-held-long.cpp:[[@LINE-1]]:31: warning: coroutine 'count_request' calls 'std::lock_guard::lock_guard', which blocks (sync-wait);
  ++counter;
  co_return;
}

// A consumer holds the queue's lock only while it waits on the condition,
// which releases it: the producer's critical section stays short.
std::mutex queue_mutex;
std::condition_variable queue_ready;
std::vector<int> queue;

void consume() {
  std::unique_lock<std::mutex> lock(queue_mutex);
  queue_ready.wait(lock, [] { return !queue.empty(); });
  queue.pop_back();
}

taskfit::Task<void> produce(int item) {
  {
    std::lock_guard<std::mutex> held(queue_mutex);
    // STRICT: locks-held-long.cpp:[[@LINE-1]]:33: warning: coroutine 'produce' calls 'std::lock_guard::lock_guard', which blocks (sync-wait);
    queue.push_back(item);
  }
  queue_ready.notify_one();
  co_return;
}

// A project's own lock, known by its shape (lock() and unlock()), and a C
// mutex held around a sleep: both waits are reported, and the tool does not
// enter the lock's own body.
class SpinLock {
public:
  void lock() {
    while (flag_.test_and_set()) {
    }
  }
  void unlock() { flag_.clear(); }

private:
  std::atomic_flag flag_;
};

SpinLock journal_lock;
pthread_mutex_t stats_mutex = PTHREAD_MUTEX_INITIALIZER;

void flush_journal() {
  journal_lock.lock();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  journal_lock.unlock();
  pthread_mutex_lock(&stats_mutex);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  pthread_mutex_unlock(&stats_mutex);
}

taskfit::Task<void> record(int value) {
  std::lock_guard<SpinLock> held(journal_lock);
  // CHECK: locks-held-long.cpp:[[@LINE-1]]:29: warning: coroutine 'record' calls 'std::lock_guard::lock_guard', which waits for 'journal_lock' (sync-wait), held around blocking work;
  // CHECK: locks-held-long.cpp:[[@LINE-10]]:21: note: 'flush_journal' holds 'journal_lock' while it calls 'std::this_thread::sleep_for', which blocks (sleep)
  pthread_mutex_lock(&stats_mutex);
  // CHECK: locks-held-long.cpp:[[@LINE-1]]:3: warning: coroutine 'record' calls 'pthread_mutex_lock', which waits for 'stats_mutex' (sync-wait), held around blocking work;
  // CHECK: locks-held-long.cpp:[[@LINE-10]]:21: note: 'flush_journal' holds 'stats_mutex' while it calls 'std::this_thread::sleep_for', which blocks (sleep)
  pthread_mutex_unlock(&stats_mutex);
  co_return;
}
