#include <chrono>
#include <gtest/gtest.h>
#include <stdexcept>
#include <taskfit/runtime.hpp>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;

namespace {

int count_primes(int limit) {
  int count = 0;
  for (int n = 2; n < limit; ++n) {
    bool prime = true;
    for (int d = 2; d * d <= n; ++d)
      if (n % d == 0) {
        prime = false;
        break;
      }
    count += prime;
  }
  return count;
}

pid_t process_id() {
  return ::getpid();
}

TEST(Hybrid, ToThreadRunsOffTheLoopThread) {
  auto main = []() -> taskfit::Task<void> {
    const auto loop_thread = std::this_thread::get_id();
    auto worker_thread = co_await taskfit::to_thread([] { return std::this_thread::get_id(); });
    EXPECT_NE(worker_thread, loop_thread);
    EXPECT_EQ(co_await taskfit::to_thread(count_primes, 100), 25);
  };
  taskfit::run(main());
}

TEST(Hybrid, TheLoopKeepsRunningWhileAThreadBlocks) {
  auto main = []() -> taskfit::Task<void> {
    std::atomic<bool> release{false};
    auto blocked = taskfit::spawn([](std::atomic<bool>* release) -> taskfit::Task<void> {
      co_await taskfit::to_thread([release] {
        while (!release->load())
          std::this_thread::sleep_for(100us);
      });
    }(&release));
    int ticks = 0;
    for (; ticks < 5; ++ticks)
      co_await taskfit::sleep(100us); // the loop is free while the thread blocks
    release = true;
    co_await blocked;
    EXPECT_EQ(ticks, 5);
  };
  taskfit::run(main());
}

TEST(Hybrid, ExceptionsFromThreadsReachTheCoroutine) {
  auto main = []() -> taskfit::Task<void> {
    EXPECT_THROW(co_await taskfit::to_thread([]() -> int { throw std::range_error("r"); }),
                 std::range_error);
  };
  taskfit::run(main());
}

TEST(Hybrid, RunInExecutorOnBothPoolKinds) {
  taskfit::ThreadPool threads(2);
  taskfit::ProcessPool processes({.max_workers = 2});
  auto main = [](taskfit::ThreadPool* threads,
                 taskfit::ProcessPool* processes) -> taskfit::Task<void> {
    auto [in_thread, in_process, worker] = co_await taskfit::gather(
        [](taskfit::ThreadPool* pool) -> taskfit::Task<int> {
          co_return co_await taskfit::run_in_executor(*pool, count_primes, 1000);
        }(threads),
        [](taskfit::ProcessPool* pool) -> taskfit::Task<int> {
          co_return co_await taskfit::run_in_executor<&count_primes>(*pool, 1000);
        }(processes),
        [](taskfit::ProcessPool* pool) -> taskfit::Task<pid_t> {
          co_return co_await taskfit::run_in_executor<&process_id>(*pool);
        }(processes));
    EXPECT_EQ(in_thread, 168);
    EXPECT_EQ(in_process, 168);
    EXPECT_NE(worker, ::getpid());
  };
  taskfit::run(main(&threads, &processes));
}

TEST(Hybrid, CancellingTheAwaiterOfQueuedWorkCancelsIt) {
  taskfit::ThreadPool pool(1);
  std::atomic<bool> release{false};
  auto blocker = pool.submit([&] {
    while (!release.load())
      std::this_thread::sleep_for(100us);
  });
  auto main = [](taskfit::ThreadPool* pool) -> taskfit::Task<taskfit::Future<int>> {
    auto future = taskfit::run_in_executor(*pool, [] { return 1; });
    auto waiter = taskfit::spawn([](taskfit::Future<int> future) -> taskfit::Task<int> {
      co_return co_await future;
    }(future));
    co_await taskfit::yield();
    waiter.cancel();
    EXPECT_THROW(co_await waiter, taskfit::CancelledError);
    co_return future;
  };
  auto queued = taskfit::run(main(&pool));
  EXPECT_TRUE(queued.cancelled());
  release = true;
  blocker.result();
}

} // namespace
