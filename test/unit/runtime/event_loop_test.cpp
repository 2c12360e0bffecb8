#include <chrono>
#include <gtest/gtest.h>
#include <stdexcept>
#include <string>
#include <taskfit/runtime.hpp>
#include <vector>

using namespace std::chrono_literals;

namespace {

taskfit::Task<int> add(int a, int b) {
  co_return a + b;
}

taskfit::Task<int> add_after_sleep(int a, int b) {
  co_await taskfit::sleep(1ms);
  co_return a + b;
}

taskfit::Task<void> fail_with(std::string message) {
  co_await taskfit::yield();
  throw std::runtime_error(message);
}

TEST(EventLoop, RunReturnsTheResult) {
  EXPECT_EQ(taskfit::run(add(2, 3)), 5);
  EXPECT_EQ(taskfit::run(add_after_sleep(2, 3)), 5);
}

TEST(EventLoop, TasksAreLazy) {
  bool started = false;
  auto make = [&]() -> taskfit::Task<void> {
    started = true;
    co_return;
  };
  {
    auto task = make();
    EXPECT_FALSE(started);
  }
  EXPECT_FALSE(started); // destroyed without ever running
}

TEST(EventLoop, AwaitingChildTasksNestsResultsAndExceptions) {
  auto main = []() -> taskfit::Task<std::string> {
    int sum = co_await add(1, 2);
    int later = co_await add_after_sleep(sum, 4);
    try {
      co_await fail_with("inner");
    } catch (const std::runtime_error& error) {
      co_return std::to_string(later) + error.what();
    }
    co_return "unreachable";
  };
  EXPECT_EQ(taskfit::run(main()), "7inner");
}

TEST(EventLoop, ExceptionsEscapeRun) {
  EXPECT_THROW(taskfit::run(fail_with("out")), std::runtime_error);
}

TEST(EventLoop, SpawnedTasksRunConcurrently) {
  auto main = []() -> taskfit::Task<std::vector<int>> {
    std::vector<int> order;
    auto worker = [&](int id, std::chrono::milliseconds delay) -> taskfit::Task<void> {
      co_await taskfit::sleep(delay);
      order.push_back(id);
    };
    auto slow = taskfit::spawn(worker(1, 20ms));
    auto fast = taskfit::spawn(worker(2, 1ms));
    co_await slow;
    co_await fast;
    co_return order;
  };
  EXPECT_EQ(taskfit::run(main()), (std::vector<int>{2, 1}));
}

TEST(EventLoop, TaskHandleReportsResultAndState) {
  auto main = []() -> taskfit::Task<void> {
    auto handle = taskfit::spawn(add(20, 22));
    EXPECT_FALSE(handle.done());
    EXPECT_THROW(handle.result(), taskfit::InvalidStateError);
    int value = co_await handle;
    EXPECT_EQ(value, 42);
    EXPECT_TRUE(handle.done());
    EXPECT_EQ(handle.result(), 42);
    EXPECT_EQ(handle.exception(), nullptr);
    EXPECT_FALSE(handle.cancel());
  };
  taskfit::run(main());
}

TEST(EventLoop, YieldInterleavesReadyTasks) {
  auto main = []() -> taskfit::Task<std::string> {
    std::string trace;
    auto writer = [&](char mark) -> taskfit::Task<void> {
      for (int i = 0; i < 3; ++i) {
        trace += mark;
        co_await taskfit::yield();
      }
    };
    auto a = taskfit::spawn(writer('a'));
    auto b = taskfit::spawn(writer('b'));
    co_await a;
    co_await b;
    co_return trace;
  };
  EXPECT_EQ(taskfit::run(main()), "ababab");
}

TEST(EventLoop, SleepsWakeInDeadlineOrder) {
  auto main = []() -> taskfit::Task<std::vector<int>> {
    std::vector<int> order;
    auto sleeper = [&](int id, std::chrono::milliseconds delay) -> taskfit::Task<void> {
      co_await taskfit::sleep(delay);
      order.push_back(id);
    };
    std::vector<taskfit::TaskHandle<void>> handles;
    handles.push_back(taskfit::spawn(sleeper(3, 15ms)));
    handles.push_back(taskfit::spawn(sleeper(1, 1ms)));
    handles.push_back(taskfit::spawn(sleeper(2, 8ms)));
    for (auto& handle : handles)
      co_await handle;
    co_return order;
  };
  EXPECT_EQ(taskfit::run(main()), (std::vector<int>{1, 2, 3}));
}

TEST(EventLoop, CallSoonAndCallLaterRunOnTheLoop) {
  auto main = []() -> taskfit::Task<std::string> {
    std::string trace;
    taskfit::Event done;
    auto* loop = taskfit::EventLoop::current();
    loop->call_later(2ms, [&] {
      trace += "later";
      done.set();
    });
    loop->call_soon([&] { trace += "soon,"; });
    co_await done.wait();
    co_return trace;
  };
  EXPECT_EQ(taskfit::run(main()), "soon,later");
}

TEST(EventLoop, CallSoonThreadsafeWakesASleepingLoop) {
  auto main = []() -> taskfit::Task<int> {
    taskfit::Event arrived;
    int value = 0;
    auto* loop = taskfit::EventLoop::current();
    std::thread poster([&] {
      loop->call_soon_threadsafe([&] {
        value = 11;
        arrived.set();
      });
    });
    co_await arrived.wait();
    poster.join();
    co_return value;
  };
  EXPECT_EQ(taskfit::run(main()), 11);
}

taskfit::Task<void> sleep_until_cancelled(bool* cleaned_up) {
  try {
    co_await taskfit::sleep(1h);
  } catch (const taskfit::CancelledError&) {
    *cleaned_up = true;
    throw;
  }
}

taskfit::Task<void> leave_a_task_behind(bool* cleaned_up) {
  taskfit::spawn(sleep_until_cancelled(cleaned_up));
  co_await taskfit::yield();
}

TEST(EventLoop, RunCancelsLeftoverTasks) {
  bool cleaned_up = false;
  taskfit::run(leave_a_task_behind(&cleaned_up));
  EXPECT_TRUE(cleaned_up);
}

TEST(EventLoop, TasksSpawnedBeforeTheLoopRunsStartWithIt) {
  auto main = []() -> taskfit::Task<void> { co_await taskfit::yield(); };
  taskfit::EventLoop loop;
  auto handle = loop.spawn(main());
  loop.run_until_complete(add_after_sleep(1, 1));
  EXPECT_TRUE(handle.done());
}

TEST(EventLoop, BackendIsChosenAtRunTimeWithFallback) {
  taskfit::EventLoop epoll({.backend = taskfit::EventLoop::Backend::epoll});
  EXPECT_EQ(epoll.backend(), taskfit::EventLoop::Backend::epoll);
  taskfit::EventLoop preferred({.backend = taskfit::EventLoop::Backend::io_uring});
  // io_uring where the kernel allows it, epoll otherwise; both must run tasks.
  EXPECT_TRUE(preferred.backend() == taskfit::EventLoop::Backend::io_uring ||
              preferred.backend() == taskfit::EventLoop::Backend::epoll);
  EXPECT_EQ(preferred.run_until_complete(add_after_sleep(1, 2)), 3);
}

TEST(EventLoop, DestroyingALoopFreesUnfinishedTasks) {
  auto forever = []() -> taskfit::Task<void> { co_await taskfit::sleep(1h); };
  taskfit::EventLoop loop;
  loop.spawn(forever());
  loop.spawn(forever());
  loop.run_until_complete(add_after_sleep(0, 0));
  EXPECT_EQ(loop.unfinished_tasks(), 2u);
  // ASan checks that the frames are freed by the destructor.
}

} // namespace
