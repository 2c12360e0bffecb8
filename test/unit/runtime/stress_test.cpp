#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <taskfit/runtime.hpp>
#include <vector>

using namespace std::chrono_literals;

namespace {

constexpr int hundred_thousand = 100'000;

int twice(int x) {
  return 2 * x;
}
int plus_one(int x) {
  return x + 1;
}

TEST(Stress, HundredThousandThreadPoolTasks) {
  taskfit::ThreadPool pool(4);
  std::atomic<long> sum{0};
  std::vector<taskfit::Future<void>> futures;
  futures.reserve(hundred_thousand);
  for (int i = 0; i < hundred_thousand; ++i)
    futures.push_back(pool.submit([&sum, i] { sum += i; }));
  for (auto& future : futures)
    future.result();
  EXPECT_EQ(sum.load(), static_cast<long>(hundred_thousand) * (hundred_thousand - 1) / 2);
}

TEST(Stress, HundredThousandEventLoopTasks) {
  auto main = []() -> taskfit::Task<long> {
    long sum = 0;
    std::vector<taskfit::Task<int>> tasks;
    tasks.reserve(hundred_thousand);
    for (int i = 0; i < hundred_thousand; ++i)
      tasks.push_back([](int value) -> taskfit::Task<int> {
        co_await taskfit::yield();
        co_return value;
      }(i));
    for (int value : co_await taskfit::gather(std::move(tasks)))
      sum += value;
    co_return sum;
  };
  EXPECT_EQ(taskfit::run(main()), static_cast<long>(hundred_thousand) * (hundred_thousand - 1) / 2);
}

TEST(Stress, HundredThousandProcessPoolTasks) {
  taskfit::ProcessPool pool({.max_workers = 2});
  std::vector<int> inputs(hundred_thousand);
  for (int i = 0; i < hundred_thousand; ++i)
    inputs[i] = i;
  auto doubled = pool.map<&twice>(inputs, {.chunksize = 1000});
  ASSERT_EQ(doubled.size(), inputs.size());
  for (int i = 0; i < hundred_thousand; ++i)
    ASSERT_EQ(doubled[i], 2 * i);
  // And individually submitted tasks: the per-task path.
  std::vector<taskfit::Future<int>> futures;
  for (int i = 0; i < 20'000; ++i)
    futures.push_back(pool.submit<&plus_one>(i));
  for (int i = 0; i < 20'000; ++i)
    ASSERT_EQ(futures[i].result(), i + 1);
}

TEST(Stress, CancellationStormOnTheLoop) {
  auto main = []() -> taskfit::Task<int> {
    taskfit::Queue<int> queue(1);
    taskfit::Event never;
    std::vector<taskfit::TaskHandle<void>> handles;
    for (int i = 0; i < 20'000; ++i) {
      switch (i % 4) {
      case 0:
        handles.push_back(
            taskfit::spawn([]() -> taskfit::Task<void> { co_await taskfit::sleep(1h); }()));
        break;
      case 1:
        handles.push_back(taskfit::spawn(
            [](taskfit::Event* event) -> taskfit::Task<void> { co_await event->wait(); }(&never)));
        break;
      case 2:
        handles.push_back(taskfit::spawn([](taskfit::Queue<int>* queue) -> taskfit::Task<void> {
          co_await queue->get();
        }(&queue)));
        break;
      default:
        handles.push_back(taskfit::spawn([]() -> taskfit::Task<void> {
          for (;;)
            co_await taskfit::yield();
        }()));
      }
      if (i % 7 == 0)
        handles.back().cancel(); // some before they start
    }
    co_await taskfit::yield();
    for (auto& handle : handles)
      handle.cancel();
    int cancelled = 0;
    for (auto& handle : handles) {
      try {
        co_await handle;
      } catch (const taskfit::CancelledError&) {
        ++cancelled;
      }
    }
    co_return cancelled;
  };
  EXPECT_EQ(taskfit::run(main()), 20'000);
}

TEST(Stress, CancellationStormOnThreadPoolFutures) {
  taskfit::ThreadPool pool(2);
  std::atomic<int> ran{0};
  std::vector<taskfit::Future<void>> futures;
  for (int i = 0; i < 50'000; ++i)
    futures.push_back(pool.submit([&] { ++ran; }));
  int cancelled = 0;
  for (auto& future : futures)
    cancelled += future.cancel() ? 1 : 0;
  pool.shutdown();
  int finished = 0;
  for (auto& future : futures)
    finished += future.cancelled() ? 0 : 1;
  EXPECT_EQ(finished, ran.load());
  EXPECT_EQ(cancelled + ran.load(), 50'000);
}

} // namespace
