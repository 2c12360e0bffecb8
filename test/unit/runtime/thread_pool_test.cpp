#include <atomic>
#include <chrono>
#include <condition_variable>
#include <gtest/gtest.h>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>
#include <taskfit/runtime/spin.hpp>
#include <taskfit/runtime/thread_pool.hpp>
#include <taskfit/runtime/wait.hpp>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

// A gate the test opens: lets tests hold workers busy without timing assumptions. Declared before
// the pool whose workers pass it: a worker may still be leaving pass() when the test ends.
class Gate {
public:
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }
  void pass() {
    std::unique_lock lock(mutex_);
    opened_.wait(lock, [&] { return open_; });
  }

private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

TEST(ThreadPool, DefaultSizeFollowsPython) {
  taskfit::ThreadPool pool;
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  EXPECT_EQ(pool.max_workers(), std::min<std::size_t>(32, cores + 4));
  EXPECT_EQ(taskfit::ThreadPool::for_cpu().max_workers(), cores);
}

TEST(ThreadPool, SubmitReturnsResults) {
  taskfit::ThreadPool pool(4);
  auto sum = pool.submit([](int a, int b) { return a + b; }, 2, 3);
  auto text = pool.submit([](std::string s) { return s + "!"; }, std::string("hi"));
  auto nothing = pool.submit([] {});
  EXPECT_EQ(sum.result(), 5);
  EXPECT_EQ(text.result(), "hi!");
  nothing.result();
  EXPECT_TRUE(nothing.done());
}

TEST(ThreadPool, ExceptionsReachResultIntact) {
  taskfit::ThreadPool pool(2);
  auto failing = pool.submit([]() -> int { throw std::invalid_argument("bad input 3"); });
  try {
    failing.result();
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(), "bad input 3");
  }
}

TEST(ThreadPool, CancelBeforeRunSkipsTheWork) {
  Gate gate;
  taskfit::ThreadPool pool(1);
  auto blocker = pool.submit([&] { gate.pass(); });
  std::atomic<bool> ran{false};
  auto queued = pool.submit([&] { ran = true; });
  EXPECT_TRUE(queued.cancel());
  gate.open();
  blocker.result();
  pool.shutdown();
  EXPECT_FALSE(ran.load());
  EXPECT_TRUE(queued.cancelled());
}

TEST(ThreadPool, CancelWhileRunningFails) {
  Gate gate;
  taskfit::ThreadPool pool(1);
  std::atomic<bool> started{false};
  auto running = pool.submit([&] {
    started = true;
    gate.pass();
    return 1;
  });
  while (!started)
    std::this_thread::yield();
  EXPECT_FALSE(running.cancel());
  gate.open();
  EXPECT_EQ(running.result(), 1);
}

TEST(ThreadPool, MapKeepsInputOrderAcrossChunks) {
  taskfit::ThreadPool pool(3);
  std::vector<int> inputs(100);
  std::iota(inputs.begin(), inputs.end(), 0);
  for (std::size_t chunksize : {1u, 7u, 100u, 1000u}) {
    auto squares = pool.map([](int x) { return x * x; }, inputs, {.chunksize = chunksize});
    ASSERT_EQ(squares.size(), inputs.size());
    for (int i = 0; i < 100; ++i)
      EXPECT_EQ(squares[i], i * i);
  }
}

TEST(ThreadPool, MapRethrowsTheFirstFailure) {
  taskfit::ThreadPool pool(2);
  std::vector<int> inputs{1, 2, 3, 4};
  EXPECT_THROW(pool.map(
                   [](int x) {
                     if (x == 3)
                       throw std::domain_error("three");
                     return x;
                   },
                   inputs),
               std::domain_error);
}

TEST(ThreadPool, MapTimeoutThrowsTimeoutError) {
  Gate gate;
  taskfit::ThreadPool pool(1);
  std::vector<int> inputs{1};
  EXPECT_THROW(pool.map(
                   [&](int x) {
                     gate.pass();
                     return x;
                   },
                   inputs, {.timeout = 2ms}),
               taskfit::TimeoutError);
  gate.open();
}

TEST(ThreadPool, ShutdownWaitsForQueuedWork) {
  taskfit::ThreadPool pool(2);
  std::atomic<int> done{0};
  std::vector<taskfit::Future<void>> futures;
  for (int i = 0; i < 50; ++i)
    futures.push_back(pool.submit([&] { ++done; }));
  pool.shutdown({.wait = true});
  EXPECT_EQ(done.load(), 50);
  EXPECT_THROW(pool.submit([] {}), taskfit::ExecutorShutdown);
}

TEST(ThreadPool, ShutdownWithCancelFuturesCancelsQueuedWork) {
  Gate gate;
  taskfit::ThreadPool pool(1);
  std::atomic<bool> started{false};
  auto running = pool.submit([&] {
    started = true;
    gate.pass();
  });
  while (!started)
    std::this_thread::yield();
  std::vector<taskfit::Future<void>> queued;
  for (int i = 0; i < 10; ++i)
    queued.push_back(pool.submit([] {}));
  pool.shutdown({.wait = false, .cancel_futures = true});
  for (auto& future : queued)
    EXPECT_TRUE(future.cancelled());
  gate.open();
  running.result();
  EXPECT_FALSE(running.cancelled());
}

TEST(ThreadPool, ShutdownWithoutWaitReturnsWhileWorkRuns) {
  Gate gate;
  taskfit::ThreadPool pool(1);
  auto running = pool.submit([&] {
    gate.pass();
    return 7;
  });
  pool.shutdown({.wait = false});
  EXPECT_FALSE(running.done());
  gate.open();
  EXPECT_EQ(running.result(), 7);
}

TEST(ThreadPool, WorkersRunInParallel) {
  // Two tasks that each wait for the other can only finish if two workers run at once.
  Gate first, second;
  taskfit::ThreadPool pool(2);
  auto a = pool.submit([&] {
    first.open();
    second.pass();
  });
  auto b = pool.submit([&] {
    second.open();
    first.pass();
  });
  a.result();
  b.result();
}

TEST(ThreadPool, WorkSubmittedWhileAWorkerSpinsReachesTheSleepingOnes) {
  // Regression: a job submitted while the spinning worker had not yet taken the one before wakes
  // nobody; the spinner must pass it on, or it waits behind a long job while a worker sleeps.
  // Each round: the first job holds its worker until the second has run on the other.
  taskfit::ThreadPool pool(2);
  for (int round = 0; round < 300; ++round) {
    Gate second_ran;
    auto first = pool.submit([&] { second_ran.pass(); });
    auto second = pool.submit([&] { second_ran.open(); });
    ASSERT_NO_THROW(second.result(std::chrono::seconds(30))) << "round " << round;
    first.result();
  }
}

TEST(ThreadPool, RoundTripsWithoutSpinning) {
  taskfit::set_spin_before_blocking({});
  {
    taskfit::ThreadPool pool(2);
    for (int i = 0; i < 1000; ++i)
      ASSERT_EQ(pool.submit([i] { return i + 1; }).result(), i + 1);
  }
  taskfit::set_spin_before_blocking(50us);
}

TEST(ThreadPool, WaitAndAsCompletedWorkWithPoolFutures) {
  taskfit::ThreadPool pool(4);
  std::vector<taskfit::Future<int>> futures;
  for (int i = 0; i < 8; ++i)
    futures.push_back(pool.submit([i] { return i; }));
  auto waited = taskfit::wait(futures);
  EXPECT_EQ(waited.done.size(), 8u);
  int total = 0;
  for (const auto& future : taskfit::as_completed(futures))
    total += future.result();
  EXPECT_EQ(total, 28);
}

} // namespace
