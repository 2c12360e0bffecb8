// The GIL pattern: every task of a pool takes the same lock and computes while
// holding it, so the pool runs one task at a time.
// RUN: not %taskfit --checks='-*,cpu-bound-loop-in-thread-pool' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "asio.h"

#include <mutex>
#include <vector>

std::mutex g_model_lock;
std::vector<double> g_model;

double score(const std::vector<double>& features) {
  double total = 0;
  for (double f : features) {
    total += f * f;
    total -= f / 3;
    total *= 0.5;
  }
  return total;
}

void score_all(asio::thread_pool& pool, const std::vector<std::vector<double>>& batches) {
  for (const auto& batch : batches)
    asio::post(pool, [&batch] {
      // CHECK: :[[@LINE-1]]:11: warning: CPU-bound task 'lambda at {{.*}}' holds 'g_model_lock' while it computes, and every task submitted to 'pool' takes that lock: the pool runs them one at a time, like Python's GIL; hold the lock only to read or publish shared state and compute outside it [cpu-bound-loop-in-thread-pool]
      // CHECK: :[[@LINE+2]]:25: note: 'lambda at {{.*}}' calls 'score', which runs a loop over 'features' and no suspension point, while holding 'g_model_lock'
      std::lock_guard<std::mutex> hold(g_model_lock);
      g_model.push_back(score(batch));
    });
}

// Right: the lock guards only the update.
void score_all_well(asio::thread_pool& pool, const std::vector<std::vector<double>>& batches) {
  for (const auto& batch : batches)
    asio::post(pool, [&batch] {
      double s = score(batch);
      std::lock_guard<std::mutex> hold(g_model_lock);
      g_model.push_back(s);
    });
}

// A block ends the lock's scope before the computation.
void score_after_block(asio::thread_pool& pool, const std::vector<std::vector<double>>& batches) {
  for (const auto& batch : batches)
    asio::post(pool, [&batch] {
      {
        std::lock_guard<std::mutex> hold(g_model_lock);
        g_model.reserve(g_model.size() + 1);
      }
      g_model.push_back(score(batch));
    });
}

// Explicit lock()/unlock() around the computation: the same pattern.
struct Trainer {
  std::mutex weights_lock;
  std::vector<double> weights;
  asio::thread_pool workers;

  void train(const std::vector<std::vector<double>>& batches) {
    for (const auto& batch : batches)
      asio::post(workers, [this, &batch] {
        // CHECK: :[[@LINE-1]]:13: warning: CPU-bound task 'lambda at {{.*}}' holds 'Trainer::weights_lock' while it computes, and every task submitted to 'workers' takes that lock
        weights_lock.lock();
        for (double f : batch) {
          // CHECK: :[[@LINE-1]]:9: note: 'lambda at {{.*}}' runs a loop over 'batch' and no suspension point while holding 'Trainer::weights_lock'
          weights.push_back(f * 2);
          weights.back() -= 1;
          weights.back() *= 0.5;
        }
        weights_lock.unlock();
      });
  }
};

// A mutex local to the task is private to it: no pattern.
void private_lock(asio::thread_pool& pool, const std::vector<std::vector<double>>& batches) {
  for (const auto& batch : batches)
    asio::post(pool, [&batch] {
      std::mutex mine;
      std::lock_guard<std::mutex> hold(mine);
      (void)score(batch);
    });
}
