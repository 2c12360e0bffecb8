#include <chrono>
#include <gtest/gtest.h>
#include <stdexcept>
#include <string>
#include <taskfit/runtime.hpp>
#include <vector>

using namespace std::chrono_literals;

namespace {

taskfit::Task<int> value_after(int value, std::chrono::microseconds delay) {
  co_await taskfit::sleep(delay);
  co_return value;
}

taskfit::Task<int> fail_after(std::string message, std::chrono::microseconds delay) {
  co_await taskfit::sleep(delay);
  throw std::runtime_error(message);
}

taskfit::Task<void> nothing() {
  co_return;
}

// Fails only when cancelled: a clean-up that goes wrong.
taskfit::Task<int> fail_when_cancelled(std::string message) {
  try {
    co_await taskfit::sleep(1h);
  } catch (const taskfit::CancelledError&) {
    throw std::runtime_error(message);
  }
  co_return 0;
}

taskfit::Task<int> record_cancellation(bool* cancelled) {
  try {
    co_await taskfit::sleep(1h);
  } catch (const taskfit::CancelledError&) {
    *cancelled = true;
    throw;
  }
  co_return 0;
}

TEST(Gather, TupleFormKeepsArgumentOrder) {
  auto main = []() -> taskfit::Task<void> {
    auto [a, b, c] =
        co_await taskfit::gather(value_after(1, 300us), value_after(2, 100us), nothing());
    EXPECT_EQ(a, 1);
    EXPECT_EQ(b, 2);
    (void)c;
  };
  taskfit::run(main());
}

TEST(Gather, RangeFormKeepsOrder) {
  auto main = []() -> taskfit::Task<void> {
    std::vector<taskfit::Task<int>> tasks;
    for (int i = 0; i < 20; ++i)
      tasks.push_back(value_after(i, std::chrono::microseconds(20 * (20 - i))));
    auto results = co_await taskfit::gather(std::move(tasks));
    EXPECT_EQ(results.size(), 20u);
    for (int i = 0; i < 20; ++i)
      EXPECT_EQ(results[i], i);
    auto empty = co_await taskfit::gather(std::vector<taskfit::Task<int>>{});
    EXPECT_TRUE(empty.empty());
  };
  taskfit::run(main());
}

TEST(Gather, FirstFailureCancelsTheOthersAndIsRethrown) {
  auto main = []() -> taskfit::Task<void> {
    bool cancelled = false;
    try {
      co_await taskfit::gather(record_cancellation(&cancelled), fail_after("first", 100us),
                               fail_after("second", 50ms));
      ADD_FAILURE() << "gather should throw";
    } catch (const std::runtime_error& error) {
      EXPECT_STREQ(error.what(), "first");
    }
    EXPECT_TRUE(cancelled); // and ended before gather returned
  };
  taskfit::run(main());
}

TEST(Gather, ReturnExceptionsKeepsEveryOutcome) {
  // seeds/003 handle_task_errors: gather(*tasks, return_exceptions=True)
  auto main = []() -> taskfit::Task<void> {
    std::vector<taskfit::Task<int>> tasks;
    for (int i = 0; i < 6; ++i)
      tasks.push_back(i % 3 == 0 ? fail_after("Task " + std::to_string(i) + " failed!", 100us)
                                 : value_after(i, 100us));
    auto outcomes = co_await taskfit::gather(taskfit::return_exceptions, std::move(tasks));
    EXPECT_EQ(outcomes.size(), 6u);
    for (int i = 0; i < 6; ++i) {
      if (i % 3 == 0) {
        EXPECT_FALSE(outcomes[i].has_value());
        EXPECT_THROW(outcomes[i].value(), std::runtime_error);
      } else {
        EXPECT_EQ(outcomes[i].value(), i);
      }
    }
    auto [ok, failed] = co_await taskfit::gather(taskfit::return_exceptions, value_after(1, 1us),
                                                 fail_after("x", 1us));
    EXPECT_TRUE(ok.has_value());
    EXPECT_NE(failed.error(), nullptr);
  };
  taskfit::run(main());
}

TEST(Gather, CancellingTheGathererCancelsEveryChild) {
  auto main = []() -> taskfit::Task<void> {
    bool first = false, second = false;
    auto gatherer = [](bool* first, bool* second) -> taskfit::Task<void> {
      co_await taskfit::gather(record_cancellation(first), record_cancellation(second));
    };
    auto handle = taskfit::spawn(gatherer(&first, &second));
    co_await taskfit::sleep(1ms);
    handle.cancel();
    EXPECT_THROW(co_await handle, taskfit::CancelledError);
    EXPECT_TRUE(first);
    EXPECT_TRUE(second);
  };
  taskfit::run(main());
}

TEST(TaskGroup, WaitsForEveryChild) {
  auto main = []() -> taskfit::Task<void> {
    taskfit::TaskGroup group;
    auto a = group.spawn(value_after(1, 200us));
    auto b = group.spawn(value_after(2, 100us));
    co_await group.wait();
    EXPECT_EQ(a.result() + b.result(), 3);
    EXPECT_EQ(group.running(), 0u);
  };
  taskfit::run(main());
}

TEST(TaskGroup, FirstFailureCancelsSiblingsAndErrorsAreAggregated) {
  auto main = []() -> taskfit::Task<void> {
    taskfit::TaskGroup group;
    bool sibling_cancelled = false;
    group.spawn(record_cancellation(&sibling_cancelled));
    group.spawn(fail_after("one", 100us));
    group.spawn(fail_when_cancelled("two"));
    try {
      co_await group.wait();
      ADD_FAILURE() << "wait should throw";
    } catch (const taskfit::ExceptionGroup& errors) {
      EXPECT_EQ(errors.exceptions().size(), 2u);
      EXPECT_NE(std::string(errors.what()).find("one"), std::string::npos);
      EXPECT_NE(std::string(errors.what()).find("two"), std::string::npos);
    }
    EXPECT_TRUE(sibling_cancelled);
  };
  taskfit::run(main());
}

TEST(TaskGroup, CancellingTheWaiterCancelsTheChildren) {
  auto main = []() -> taskfit::Task<void> {
    bool child_cancelled = false;
    auto parent = [](bool* child_cancelled) -> taskfit::Task<void> {
      taskfit::TaskGroup group;
      group.spawn(record_cancellation(child_cancelled));
      co_await group.wait();
    };
    auto handle = taskfit::spawn(parent(&child_cancelled));
    co_await taskfit::sleep(1ms);
    handle.cancel();
    EXPECT_THROW(co_await handle, taskfit::CancelledError);
    EXPECT_TRUE(child_cancelled);
  };
  taskfit::run(main());
}

} // namespace
