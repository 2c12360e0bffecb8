#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <memory>
#include <stdexcept>
#include <taskfit/runtime/future.hpp>
#include <taskfit/runtime/wait.hpp>
#include <thread>

using namespace std::chrono_literals;

namespace {

TEST(Future, ValueSetOnAnotherThreadIsSeenByResult) {
  taskfit::Promise<int> promise;
  auto future = promise.get_future();
  EXPECT_FALSE(future.done());
  std::thread producer([&] { promise.set_value(42); });
  EXPECT_EQ(future.result(), 42);
  EXPECT_TRUE(future.done());
  EXPECT_EQ(future.exception(), nullptr);
  producer.join();
}

TEST(Future, ExceptionCrossesIntact) {
  taskfit::Promise<int> promise;
  promise.set_exception(std::make_exception_ptr(std::out_of_range("index 7")));
  auto future = promise.get_future();
  EXPECT_THROW(future.result(), std::out_of_range);
  ASSERT_NE(future.exception(), nullptr);
  try {
    future.result();
  } catch (const std::out_of_range& error) {
    EXPECT_STREQ(error.what(), "index 7");
  }
}

TEST(Future, ResultWithTimeoutThrowsTimeoutError) {
  taskfit::Promise<int> promise;
  auto future = promise.get_future();
  EXPECT_THROW(future.result(1ms), taskfit::TimeoutError);
  EXPECT_THROW(future.exception(1ms), taskfit::TimeoutError);
  promise.set_value(1);
  EXPECT_EQ(future.result(1ms), 1);
}

TEST(Future, CancelSucceedsOnlyWhilePending) {
  taskfit::Promise<int> pending;
  auto cancelled = pending.get_future();
  EXPECT_TRUE(cancelled.cancel());
  EXPECT_TRUE(cancelled.cancelled());
  EXPECT_TRUE(cancelled.done());
  EXPECT_THROW(cancelled.result(), taskfit::CancelledError);
  EXPECT_THROW(cancelled.exception(), taskfit::CancelledError);
  EXPECT_FALSE(pending.set_running_or_notify_cancel());

  taskfit::Promise<int> running;
  auto started = running.get_future();
  ASSERT_TRUE(running.set_running_or_notify_cancel());
  EXPECT_TRUE(started.running());
  EXPECT_FALSE(started.cancel());
  running.set_value(3);
  EXPECT_FALSE(started.cancel());
  EXPECT_EQ(started.result(), 3);
}

TEST(Future, DoneCallbacksRunOnceEvenWhenAddedLate) {
  taskfit::Promise<void> promise;
  auto future = promise.get_future();
  std::atomic<int> calls{0};
  future.add_done_callback([&](taskfit::Future<void> done) {
    EXPECT_TRUE(done.done());
    ++calls;
  });
  promise.set_value();
  future.add_done_callback([&] { ++calls; });
  EXPECT_EQ(calls.load(), 2);
}

TEST(Future, ThrowingCallbackDoesNotBreakTheFuture) {
  taskfit::Promise<int> promise;
  auto future = promise.get_future();
  future.add_done_callback([] { throw std::runtime_error("callback bug"); });
  promise.set_value(5);
  EXPECT_EQ(future.result(), 5);
}

TEST(Future, MoveOnlyResultsCanBeMovedOut) {
  taskfit::Promise<std::unique_ptr<int>> promise;
  promise.set_value(std::make_unique<int>(9));
  auto value = std::move(promise.get_future().result());
  ASSERT_TRUE(value);
  EXPECT_EQ(*value, 9);
}

TEST(Wait, FirstCompletedReturnsAsSoonAsOneIsDone) {
  std::vector<taskfit::Promise<int>> promises(3);
  std::vector<taskfit::Future<int>> futures;
  for (auto& promise : promises)
    futures.push_back(promise.get_future());
  promises[1].set_value(1);
  auto result = taskfit::wait(futures, taskfit::ReturnWhen::FIRST_COMPLETED);
  ASSERT_EQ(result.done.size(), 1u);
  EXPECT_EQ(result.done[0], futures[1]);
  EXPECT_EQ(result.not_done.size(), 2u);
  promises[0].set_value(0);
  promises[2].set_value(2);
}

TEST(Wait, FirstExceptionStopsAtTheFailure) {
  std::vector<taskfit::Promise<int>> promises(3);
  std::vector<taskfit::Future<int>> futures;
  for (auto& promise : promises)
    futures.push_back(promise.get_future());
  promises[0].set_value(0);
  promises[2].set_exception(std::make_exception_ptr(std::runtime_error("boom")));
  auto result = taskfit::wait(futures, taskfit::ReturnWhen::FIRST_EXCEPTION);
  EXPECT_EQ(result.done.size(), 2u);
  EXPECT_EQ(result.not_done.size(), 1u);
  promises[1].set_value(1);
}

TEST(Wait, AllCompletedHonoursTheTimeout) {
  taskfit::Promise<int> never;
  std::vector<taskfit::Future<int>> futures{never.get_future()};
  auto result = taskfit::wait(futures, taskfit::ReturnWhen::ALL_COMPLETED, 5ms);
  EXPECT_TRUE(result.done.empty());
  EXPECT_EQ(result.not_done.size(), 1u);
  never.set_value(0);
}

TEST(AsCompleted, YieldsInCompletionOrder) {
  std::vector<taskfit::Promise<int>> promises(3);
  std::vector<taskfit::Future<int>> futures;
  for (auto& promise : promises)
    futures.push_back(promise.get_future());
  auto completed = taskfit::as_completed(futures);
  promises[2].set_value(2);
  promises[0].set_value(0);
  promises[1].set_value(1);
  std::vector<int> order;
  for (const auto& future : completed)
    order.push_back(future.result());
  EXPECT_EQ(order, (std::vector<int>{2, 0, 1}));
}

TEST(AsCompleted, TimesOutWithTimeoutError) {
  taskfit::Promise<int> never;
  auto pending = taskfit::as_completed(std::vector<taskfit::Future<int>>{never.get_future()}, 2ms);
  EXPECT_THROW(
      {
        for (const auto& future : pending)
          (void)future;
      },
      taskfit::TimeoutError);
  never.set_value(0);
}

} // namespace
