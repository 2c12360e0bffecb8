// Category sync-wait: locks, condition variables, futures, joins, semaphores,
// latches and barriers wait for another thread. The try_ forms, a zero
// timeout and lock owners that do not lock (try_to_lock, defer_lock,
// adopt_lock) return at once. Run with all-lock-waits: every acquisition is
// reported; by default only those of locks held long elsewhere are
// (locks-held-long.cpp).
// RUN: not %taskfit --config=%inputs/all-lock-waits.yaml --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <barrier>
#include <condition_variable>
#include <future>
#include <latch>
#include <mutex>
#include <semaphore>
#include <shared_mutex>
#include <thread>

std::mutex state_mutex;
std::shared_mutex table_mutex;
std::timed_mutex slow_mutex;
std::condition_variable ready;
std::counting_semaphore<8> slots(8);
std::latch started(1);
std::barrier<> phase(2);

taskfit::Task<void> locks() {
  state_mutex.lock();
  // CHECK: :[[@LINE-1]]:15: warning: coroutine 'locks' calls 'std::mutex::lock', which blocks
  // CHECK-SAME: (sync-wait); {{.*}}taskfit::Lock{{.*}} [blocking-call-in-coroutine]
  state_mutex.unlock();
  {
    std::lock_guard<std::mutex> held(state_mutex);
    // CHECK: :[[@LINE-1]]:33: warning: coroutine 'locks' calls 'std::lock_guard::lock_guard',
    // CHECK-SAME: which blocks (sync-wait);
  }
  {
    std::scoped_lock held(state_mutex);
    // CHECK: :[[@LINE-1]]:22: warning: coroutine 'locks' calls 'std::scoped_lock::scoped_lock',
    // CHECK-SAME: which blocks (sync-wait);
  }
  {
    std::unique_lock<std::mutex> held(state_mutex);
    // CHECK: :[[@LINE-1]]:34: warning: coroutine 'locks' calls 'std::unique_lock::unique_lock',
    // CHECK-SAME: which blocks (sync-wait);
  }
  {
    std::shared_lock reading(table_mutex);
    // CHECK: :[[@LINE-1]]:22: warning: coroutine 'locks' calls 'std::shared_lock::shared_lock',
    // CHECK-SAME: which blocks (sync-wait);
  }
  {
    std::unique_lock<std::mutex> later(state_mutex, std::defer_lock);
    later.lock();
    // CHECK: :[[@LINE-1]]:11: warning: coroutine 'locks' calls 'std::unique_lock::lock', which
    // CHECK-SAME: blocks (sync-wait);
  }
  slow_mutex.try_lock_for(std::chrono::milliseconds(20));
  // CHECK: :[[@LINE-1]]:14: warning: coroutine 'locks' calls 'std::timed_mutex::try_lock_for',
  // CHECK-SAME: which blocks (sync-wait);
  co_return;
}

// Attempts that give up at once.
taskfit::Task<bool> lock_attempts() {
  bool got = state_mutex.try_lock();
  if (got)
    state_mutex.unlock();
  std::unique_lock<std::mutex> attempt(state_mutex, std::try_to_lock);
  std::unique_lock<std::mutex> deferred(state_mutex, std::defer_lock);
  std::lock_guard<std::mutex> adopted(state_mutex, std::adopt_lock);
  bool timed = slow_mutex.try_lock_for(std::chrono::milliseconds(0));
  bool all = got && attempt.owns_lock() && !deferred.owns_lock() && timed;
  co_return all;
}

taskfit::Task<void> conditions(std::unique_lock<std::mutex>& lock, bool& flag) {
  ready.wait(lock);
  // CHECK: :[[@LINE-1]]:9: warning: coroutine 'conditions' calls 'std::condition_variable::wait',
  // CHECK-SAME: which blocks (sync-wait);
  ready.wait(lock, [&] { return flag; });
  // CHECK: :[[@LINE-1]]:9: warning: coroutine 'conditions' calls 'std::condition_variable::wait',
  // CHECK-SAME: which blocks (sync-wait);
  ready.wait_for(lock, std::chrono::seconds(1));
  // CHECK: :[[@LINE-1]]:9: warning: coroutine 'conditions' calls
  // CHECK-SAME: 'std::condition_variable::wait_for', which blocks (sync-wait);
  ready.wait_for(lock, std::chrono::seconds::zero());
  co_return;
}

taskfit::Task<int> futures_and_threads(std::future<int> pending, std::shared_future<int> shared,
                                       std::thread worker) {
  pending.wait_for(std::chrono::seconds(0)); // Polls.
  pending.wait_for(0s);                      // Polls.
  pending.wait_for(std::chrono::seconds(5));
  // CHECK: :[[@LINE-1]]:11: warning: coroutine 'futures_and_threads' calls '{{.*}}::wait_for',
  // CHECK-SAME: which blocks (sync-wait);
  pending.wait();
  // CHECK: :[[@LINE-1]]:11: warning: coroutine 'futures_and_threads' calls '{{.*}}::wait', which
  // CHECK-SAME: blocks (sync-wait);
  int value = pending.get();
  // CHECK: :[[@LINE-1]]:23: warning: coroutine 'futures_and_threads' calls 'std::future::get',
  // CHECK-SAME: which blocks (sync-wait); {{.*}}co_await{{.*}} [blocking-call-in-coroutine]
  value += shared.get();
  // CHECK: :[[@LINE-1]]:19: warning: coroutine 'futures_and_threads' calls
  // CHECK-SAME: 'std::shared_future::get', which blocks (sync-wait);
  worker.join();
  // CHECK: :[[@LINE-1]]:10: warning: coroutine 'futures_and_threads' calls 'std::thread::join',
  // CHECK-SAME: which blocks (sync-wait);
  co_return value;
}

taskfit::Task<void> semaphores_latches_barriers(std::binary_semaphore& signal) {
  slots.acquire();
  // CHECK: :[[@LINE-1]]:9: warning: coroutine 'semaphores_latches_barriers' calls
  // CHECK-SAME: 'std::counting_semaphore::acquire', which blocks (sync-wait);
  signal.acquire();
  // CHECK: :[[@LINE-1]]:10: warning: coroutine 'semaphores_latches_barriers' calls
  // CHECK-SAME: 'std::counting_semaphore::acquire', which blocks (sync-wait);
  signal.try_acquire_for(std::chrono::milliseconds(10));
  // CHECK: :[[@LINE-1]]:10: warning: coroutine 'semaphores_latches_barriers' calls
  // CHECK-SAME: 'std::counting_semaphore::try_acquire_for', which blocks (sync-wait);
  started.wait();
  // CHECK: :[[@LINE-1]]:11: warning: coroutine 'semaphores_latches_barriers' calls
  // CHECK-SAME: 'std::latch::wait', which blocks (sync-wait);
  started.arrive_and_wait();
  // CHECK: :[[@LINE-1]]:11: warning: coroutine 'semaphores_latches_barriers' calls
  // CHECK-SAME: 'std::latch::arrive_and_wait', which blocks (sync-wait);
  phase.arrive_and_wait();
  // CHECK: :[[@LINE-1]]:9: warning: coroutine 'semaphores_latches_barriers' calls
  // CHECK-SAME: 'std::barrier::arrive_and_wait', which blocks (sync-wait);
  co_return;
}

// Non-waiting counterparts.
taskfit::Task<bool> try_forms(std::binary_semaphore& signal) {
  bool got = slots.try_acquire();
  got = got && signal.try_acquire_for(std::chrono::milliseconds(0));
  slots.release();
  started.count_down();
  bool done = started.try_wait();
  auto token = phase.arrive();
  (void)token;
  bool both = got && done;
  co_return both;
}

// taskfit's own futures: awaiting one suspends, result() waits.
taskfit::Task<int> taskfit_futures(taskfit::ThreadPool& pool) {
  int awaited = co_await pool.submit([] { return 1; });
  int waited = pool.submit([] { return 2; }).result();
  // CHECK: :[[@LINE-1]]:46: warning: coroutine 'taskfit_futures' calls 'taskfit::Future::result',
  // CHECK-SAME: which blocks (sync-wait); {{.*}}co_await{{.*}} [blocking-call-in-coroutine]
  co_return awaited + waited;
}
