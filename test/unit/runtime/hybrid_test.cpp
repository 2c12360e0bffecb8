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

[[noreturn]] int die(int status) {
  ::_exit(status);
}

TEST(Hybrid, TheLoopReadsProcessPoolAnswersWhileOtherTasksRun) {
  // The loop polls the worker's channel between its own work; answers, errors and a crash all
  // reach the awaiting tasks, and the timers of the other tasks still fire.
  taskfit::ProcessPool pool({.max_workers = 2});
  auto main = [](taskfit::ProcessPool* pool) -> taskfit::Task<void> {
    int ticks = 0;
    auto ticker = taskfit::spawn([](int* ticks) -> taskfit::Task<void> {
      for (int i = 0; i < 5; ++i) {
        co_await taskfit::sleep(1ms);
        ++*ticks;
      }
    }(&ticks));
    int total = 0;
    for (int i = 0; i < 300; ++i)
      total += co_await taskfit::run_in_executor<&count_primes>(*pool, 100);
    EXPECT_EQ(total, 300 * 25);
    EXPECT_THROW(co_await taskfit::run_in_executor<&die>(*pool, 3), taskfit::BrokenProcessPool);
    EXPECT_EQ(co_await taskfit::run_in_executor<&count_primes>(*pool, 1000), 168);
    co_await ticker;
    EXPECT_EQ(ticks, 5);
  };
  taskfit::run(main(&pool));
}

TEST(Hybrid, ToThreadWithoutSpinning) {
  taskfit::set_spin_before_blocking({});
  auto main = []() -> taskfit::Task<void> {
    for (int i = 0; i < 100; ++i)
      EXPECT_EQ(co_await taskfit::to_thread(count_primes, 100), 25);
  };
  taskfit::run(main());
  taskfit::set_spin_before_blocking(50us);
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
