#include <chrono>
#include <gtest/gtest.h>
#include <string>
#include <taskfit/runtime.hpp>
#include <vector>

using namespace std::chrono_literals;

namespace {

TEST(Queue, FifoWithBackPressure) {
  auto main = []() -> taskfit::Task<void> {
    taskfit::Queue<int> queue(2);
    std::vector<std::string> trace;
    auto producer = [](taskfit::Queue<int>* queue,
                       std::vector<std::string>* trace) -> taskfit::Task<void> {
      for (int i = 0; i < 5; ++i) {
        co_await queue->put(i);
        trace->push_back("put" + std::to_string(i));
      }
    };
    auto handle = taskfit::spawn(producer(&queue, &trace));
    co_await taskfit::sleep(1ms);
    // The producer is stuck after filling the queue: back-pressure.
    EXPECT_EQ(trace, (std::vector<std::string>{"put0", "put1"}));
    EXPECT_TRUE(queue.full());
    EXPECT_THROW(queue.put_nowait(9), taskfit::QueueFull);
    std::vector<int> received;
    for (int i = 0; i < 5; ++i)
      received.push_back(co_await queue.get());
    co_await handle;
    EXPECT_EQ(received, (std::vector<int>{0, 1, 2, 3, 4}));
    EXPECT_THROW(queue.get_nowait(), taskfit::QueueEmpty);
  };
  taskfit::run(main());
}

TEST(Queue, JoinWaitsForTaskDone) {
  auto main = []() -> taskfit::Task<void> {
    taskfit::Queue<std::string> queue;
    int processed = 0;
    auto consumer = [](taskfit::Queue<std::string>* queue, int* processed) -> taskfit::Task<void> {
      for (;;) {
        std::string item = co_await queue->get();
        co_await taskfit::sleep(100us);
        ++*processed;
        queue->task_done();
      }
    };
    auto worker = taskfit::spawn(consumer(&queue, &processed));
    for (int i = 0; i < 10; ++i)
      queue.put_nowait("item");
    co_await queue.join();
    EXPECT_EQ(processed, 10);
    worker.cancel();
    EXPECT_THROW(queue.task_done(), std::logic_error);
  };
  taskfit::run(main());
}

TEST(Queue, ProducerConsumerFromTheSeed) {
  // seeds/003: two producers, two consumers, a None-like sentinel per producer.
  auto main = []() -> taskfit::Task<std::size_t> {
    taskfit::Queue<std::optional<std::string>> queue(10);
    std::vector<std::string> consumed;
    auto producer = [](taskfit::Queue<std::optional<std::string>>* queue,
                       int id) -> taskfit::Task<void> {
      for (int i = 0; i < 5; ++i) {
        co_await taskfit::sleep(std::chrono::microseconds(100 * (i + id)));
        co_await queue->put("Producer-" + std::to_string(id) + "-Item-" + std::to_string(i));
      }
      co_await queue->put(std::nullopt);
    };
    auto consumer = [](taskfit::Queue<std::optional<std::string>>* queue,
                       std::vector<std::string>* consumed) -> taskfit::Task<void> {
      for (;;) {
        auto item = co_await queue->get();
        queue->task_done();
        if (!item)
          break;
        consumed->push_back(*item);
      }
    };
    co_await taskfit::gather(producer(&queue, 1), producer(&queue, 2), consumer(&queue, &consumed),
                             consumer(&queue, &consumed));
    co_return consumed.size();
  };
  EXPECT_EQ(taskfit::run(main()), 10u);
}

TEST(Event, WakesEveryWaiter) {
  auto main = []() -> taskfit::Task<void> {
    taskfit::Event event;
    int woken = 0;
    auto waiter = [](taskfit::Event* event, int* woken) -> taskfit::Task<void> {
      co_await event->wait();
      ++*woken;
    };
    std::vector<taskfit::TaskHandle<void>> waiters;
    for (int i = 0; i < 5; ++i)
      waiters.push_back(taskfit::spawn(waiter(&event, &woken)));
    co_await taskfit::yield();
    EXPECT_EQ(woken, 0);
    event.set();
    for (auto& handle : waiters)
      co_await handle;
    EXPECT_EQ(woken, 5);
    EXPECT_TRUE(event.is_set());
    co_await event.wait(); // set: returns at once
    event.clear();
    EXPECT_FALSE(event.is_set());
  };
  taskfit::run(main());
}

TEST(Lock, SerialisesCriticalSectionsAcrossAwaits) {
  auto main = []() -> taskfit::Task<void> {
    taskfit::Lock lock;
    int inside = 0;
    int max_inside = 0;
    auto critical = [](taskfit::Lock* lock, int* inside, int* max_inside) -> taskfit::Task<void> {
      auto guard = co_await lock->scoped();
      ++*inside;
      *max_inside = std::max(*max_inside, *inside);
      co_await taskfit::sleep(100us);
      --*inside;
    };
    std::vector<taskfit::Task<void>> tasks;
    for (int i = 0; i < 5; ++i)
      tasks.push_back(critical(&lock, &inside, &max_inside));
    co_await taskfit::gather(std::move(tasks));
    EXPECT_EQ(max_inside, 1);
    EXPECT_FALSE(lock.locked());
    EXPECT_THROW(lock.release(), std::logic_error);
  };
  taskfit::run(main());
}

TEST(Semaphore, BoundsConcurrency) {
  auto main = []() -> taskfit::Task<void> {
    taskfit::Semaphore slots(2);
    int inside = 0;
    int max_inside = 0;
    auto limited = [](taskfit::Semaphore* slots, int* inside,
                      int* max_inside) -> taskfit::Task<void> {
      co_await slots->acquire();
      ++*inside;
      *max_inside = std::max(*max_inside, *inside);
      co_await taskfit::sleep(100us);
      --*inside;
      slots->release();
    };
    std::vector<taskfit::Task<void>> tasks;
    for (int i = 0; i < 6; ++i)
      tasks.push_back(limited(&slots, &inside, &max_inside));
    co_await taskfit::gather(std::move(tasks));
    EXPECT_EQ(max_inside, 2);
    EXPECT_EQ(slots.value(), 2u);
  };
  taskfit::run(main());
}

} // namespace
