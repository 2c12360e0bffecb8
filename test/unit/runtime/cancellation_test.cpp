#include <chrono>
#include <gtest/gtest.h>
#include <string>
#include <taskfit/runtime.hpp>

using namespace std::chrono_literals;

namespace {

taskfit::Task<int> sleep_then(int value, std::chrono::milliseconds delay) {
  co_await taskfit::sleep(delay);
  co_return value;
}

TEST(Cancellation, BeforeTheFirstStepTheTaskNeverRuns) {
  auto main = []() -> taskfit::Task<void> {
    bool ran = false;
    auto body = [](bool* ran) -> taskfit::Task<void> {
      *ran = true;
      co_return;
    };
    auto handle = taskfit::spawn(body(&ran));
    EXPECT_TRUE(handle.cancel());
    EXPECT_THROW(co_await handle, taskfit::CancelledError);
    EXPECT_FALSE(ran);
    EXPECT_TRUE(handle.cancelled());
  };
  taskfit::run(main());
}

TEST(Cancellation, DuringASleepIsDeliveredAtTheSuspensionPoint) {
  auto main = []() -> taskfit::Task<void> {
    std::string trace;
    auto body = [](std::string* trace) -> taskfit::Task<int> {
      *trace += "start,";
      try {
        co_await taskfit::sleep(1h);
      } catch (const taskfit::CancelledError&) {
        *trace += "cancelled,";
        throw;
      }
      co_return 1;
    };
    auto handle = taskfit::spawn(body(&trace));
    co_await taskfit::yield(); // let it reach the sleep
    EXPECT_TRUE(handle.cancel());
    EXPECT_THROW(co_await handle, taskfit::CancelledError);
    EXPECT_EQ(trace, "start,cancelled,");
    EXPECT_TRUE(handle.cancelled());
    EXPECT_FALSE(handle.cancel()); // already finished
  };
  taskfit::run(main());
}

TEST(Cancellation, ATaskMayCatchItAndFinishNormally) {
  auto main = []() -> taskfit::Task<void> {
    auto stubborn = []() -> taskfit::Task<int> {
      try {
        co_await taskfit::sleep(1h);
      } catch (const taskfit::CancelledError&) {
      }
      co_await taskfit::sleep(1ms); // clean-up may await again
      co_return 5;
    };
    auto handle = taskfit::spawn(stubborn());
    co_await taskfit::yield();
    handle.cancel();
    EXPECT_EQ(co_await handle, 5);
    EXPECT_FALSE(handle.cancelled());
  };
  taskfit::run(main());
}

TEST(Cancellation, CancellingTheAwaiterCancelsTheAwaitedTask) {
  auto main = []() -> taskfit::Task<void> {
    auto inner = taskfit::spawn(sleep_then(1, 1h));
    auto outer_body = [](taskfit::TaskHandle<int> inner) -> taskfit::Task<int> {
      co_return co_await inner;
    };
    auto outer = taskfit::spawn(outer_body(inner));
    co_await taskfit::yield();
    outer.cancel();
    EXPECT_THROW(co_await outer, taskfit::CancelledError);
    EXPECT_TRUE(inner.cancelled()); // ended before outer did
  };
  taskfit::run(main());
}

TEST(Cancellation, WaitingOnALockOrQueueLeavesNoTrace) {
  auto main = []() -> taskfit::Task<void> {
    taskfit::Lock lock;
    taskfit::Queue<int> queue(1);
    co_await lock.acquire();
    auto locker = [](taskfit::Lock* lock) -> taskfit::Task<void> {
      co_await lock->acquire();
      lock->release();
    };
    auto getter = [](taskfit::Queue<int>* queue) -> taskfit::Task<int> {
      co_return co_await queue->get();
    };
    auto waiting_lock = taskfit::spawn(locker(&lock));
    auto waiting_get = taskfit::spawn(getter(&queue));
    co_await taskfit::yield();
    waiting_lock.cancel();
    waiting_get.cancel();
    EXPECT_THROW(co_await waiting_lock, taskfit::CancelledError);
    EXPECT_THROW(co_await waiting_get, taskfit::CancelledError);
    // The cancelled waiters are gone: the next ones get the lock and the item.
    lock.release();
    EXPECT_TRUE(lock.try_acquire());
    lock.release();
    co_await queue.put(3);
    EXPECT_EQ(co_await queue.get(), 3);
  };
  taskfit::run(main());
}

TEST(Cancellation, ARequestWhileRunningIsDeliveredAtTheNextAwait) {
  auto main = []() -> taskfit::Task<void> {
    auto self_cancelling = [](taskfit::TaskHandle<void>* self) -> taskfit::Task<void> {
      self->cancel(); // no suspension point yet: just recorded
      co_await taskfit::yield();
      ADD_FAILURE() << "yield should have thrown CancelledError";
    };
    taskfit::TaskHandle<void> handle;
    handle = taskfit::spawn(self_cancelling(&handle));
    EXPECT_THROW(co_await handle, taskfit::CancelledError);
  };
  taskfit::run(main());
}

TEST(Cancellation, AwaitingAFutureIsCancellable) {
  auto main = []() -> taskfit::Task<void> {
    taskfit::Promise<int> never;
    auto waiter = [](taskfit::Future<int> future) -> taskfit::Task<int> {
      co_return co_await future;
    };
    auto future = never.get_future();
    auto handle = taskfit::spawn(waiter(future));
    co_await taskfit::yield();
    handle.cancel();
    EXPECT_THROW(co_await handle, taskfit::CancelledError);
    EXPECT_TRUE(future.cancelled()); // still pending, so cancelled with its awaiter
  };
  taskfit::run(main());
}

TEST(WaitFor, TimeoutCancelsTheWorkAndThrowsTimeoutError) {
  auto main = []() -> taskfit::Task<void> {
    bool cancelled = false;
    auto slow = [](bool* cancelled) -> taskfit::Task<int> {
      try {
        co_await taskfit::sleep(1h);
      } catch (const taskfit::CancelledError&) {
        *cancelled = true;
        throw;
      }
      co_return 1;
    };
    EXPECT_THROW(co_await taskfit::wait_for(slow(&cancelled), 5ms), taskfit::TimeoutError);
    EXPECT_TRUE(cancelled);
  };
  taskfit::run(main());
}

TEST(WaitFor, ReturnsTheResultInTimeAndPropagatesErrors) {
  auto main = []() -> taskfit::Task<void> {
    EXPECT_EQ(co_await taskfit::wait_for(sleep_then(8, 1ms), 10s), 8);
    auto failing = []() -> taskfit::Task<int> {
      co_await taskfit::yield();
      throw std::logic_error("broken");
    };
    EXPECT_THROW(co_await taskfit::wait_for(failing(), 10s), std::logic_error);
  };
  taskfit::run(main());
}

TEST(WaitFor, WorksOnFutures) {
  auto main = []() -> taskfit::Task<void> {
    taskfit::Promise<int> never;
    EXPECT_THROW(co_await taskfit::wait_for(never.get_future(), 2ms), taskfit::TimeoutError);
    taskfit::Promise<int> ready;
    ready.set_value(4);
    EXPECT_EQ(co_await taskfit::wait_for(ready.get_future(), 1s), 4);
  };
  taskfit::run(main());
}

TEST(WaitFor, CancellingTheCallerCancelsTheWrappedTask) {
  auto main = []() -> taskfit::Task<void> {
    auto caller = []() -> taskfit::Task<int> {
      co_return co_await taskfit::wait_for(sleep_then(1, 1h), 1h);
    };
    auto handle = taskfit::spawn(caller());
    co_await taskfit::sleep(1ms);
    handle.cancel();
    EXPECT_THROW(co_await handle, taskfit::CancelledError);
  };
  taskfit::run(main());
}

} // namespace
