// Spinning before blocking: the budget of spin_until and how AdaptiveSpin follows the waits.
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>
#include <taskfit/runtime/spin.hpp>
#include <thread>

using namespace std::chrono_literals;

namespace {

// Restores the process-wide budget whatever the test does with it.
class SpinBudget : public ::testing::Test {
protected:
  void SetUp() override { taskfit::set_spin_before_blocking(50us); }
  void TearDown() override { taskfit::set_spin_before_blocking(50us); }
};

TEST_F(SpinBudget, SpinUntilStopsAtTheFirstReadyCheck) {
  int checks = 0;
  EXPECT_TRUE(taskfit::detail::spin_until([&] { return ++checks == 3; }));
  EXPECT_EQ(checks, 3);
}

TEST_F(SpinBudget, SpinUntilGivesUpOnceTheBudgetIsSpent) {
  int checks = 0;
  EXPECT_FALSE(taskfit::detail::spin_until([&] { return ++checks < 0; }));
  EXPECT_GT(checks, 1);
}

TEST_F(SpinBudget, WithoutABudgetReadyIsCheckedOnce) {
  taskfit::set_spin_before_blocking({});
  int checks = 0;
  EXPECT_FALSE(taskfit::detail::spin_until([&] { return ++checks < 0; }));
  EXPECT_EQ(checks, 1);
  taskfit::detail::AdaptiveSpin adaptive;
  adaptive.slept(10us); // would grow a budget, but there is none to grow
  EXPECT_EQ(adaptive.budget(), 0ns);
  checks = 0;
  EXPECT_EQ(adaptive.spin_until([&] { return ++checks < 0; }), taskfit::detail::Spin::spent);
  EXPECT_EQ(checks, 1);
}

TEST_F(SpinBudget, WaitsALittleLongerThanTheSpinGrowItUpToTwiceTheBase) {
  taskfit::detail::AdaptiveSpin adaptive;
  EXPECT_EQ(adaptive.budget(), 50us);
  adaptive.slept(70us);
  EXPECT_EQ(adaptive.budget(), 100us);
  adaptive.slept(90us);
  EXPECT_EQ(adaptive.budget(), 100us); // the cap
}

TEST_F(SpinBudget, ALongWaitBringsItBackToTheBase) {
  taskfit::detail::AdaptiveSpin adaptive;
  adaptive.slept(70us);
  ASSERT_EQ(adaptive.budget(), 100us);
  adaptive.slept(5ms);
  EXPECT_EQ(adaptive.budget(), 50us);
}

TEST_F(SpinBudget, TheBudgetFollowsTheBaseWhenItChanges) {
  taskfit::detail::AdaptiveSpin adaptive;
  adaptive.slept(70us);
  ASSERT_EQ(adaptive.budget(), 100us);
  taskfit::set_spin_before_blocking(10us);
  EXPECT_EQ(adaptive.budget(), 20us); // within [base, 2 x base]
  taskfit::set_spin_before_blocking(200us);
  EXPECT_EQ(adaptive.budget(), 200us);
}

bool pin_to(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return ::pthread_setaffinity_np(::pthread_self(), sizeof set, &set) == 0;
}

// Pins this thread to its core and keeps another thread busy there, ready to take the core up
// whenever it is offered; undone at the end of the scope.
class CoreShared {
public:
  CoreShared() {
    const int cpu = ::sched_getcpu();
    ::pthread_getaffinity_np(::pthread_self(), sizeof before_, &before_);
    if (cpu < 0 || !pin_to(cpu))
      return;
    pinned_ = true;
    other_ = std::thread([this, cpu] {
      pin_to(cpu);
      started_ = true;
      while (!stop_.load(std::memory_order_relaxed))
        taskfit::detail::cpu_relax();
    });
    while (!started_)
      std::this_thread::yield();
  }
  CoreShared(const CoreShared&) = delete;
  CoreShared& operator=(const CoreShared&) = delete;
  ~CoreShared() {
    stop_ = true;
    if (other_.joinable())
      other_.join();
    ::pthread_setaffinity_np(::pthread_self(), sizeof before_, &before_);
  }
  bool pinned() const { return pinned_; }

private:
  cpu_set_t before_{};
  bool pinned_ = false;
  std::atomic<bool> started_{false}, stop_{false};
  std::thread other_;
};

TEST_F(SpinBudget, ASpinEndsWhenAnotherThreadWantsTheCore) {
  // The spinner offers the core every 10 us, the other thread takes it up, and the spin ends
  // instead of taking the core back for the rest of its budget.
  CoreShared core;
  if (!core.pinned())
    GTEST_SKIP() << "cannot pin threads to a core here";
  EXPECT_EQ(taskfit::detail::spin_for(
                std::chrono::seconds(5), [] { return false; },
                std::chrono::steady_clock::time_point::max()),
            taskfit::detail::Spin::core_wanted);
}

TEST_F(SpinBudget, ASpinThatGaveTheCoreAwayBringsTheBudgetBackToTheBase) {
  taskfit::detail::AdaptiveSpin adaptive;
  adaptive.slept(70us);
  ASSERT_EQ(adaptive.budget(), 100us);
  CoreShared core;
  if (!core.pinned())
    GTEST_SKIP() << "cannot pin threads to a core here";
  taskfit::set_spin_before_blocking(5ms); // long enough for the other thread to take the core
  EXPECT_EQ(adaptive.spin_until([] { return false; }), taskfit::detail::Spin::core_wanted);
  EXPECT_EQ(adaptive.budget(), 5ms); // the base again
}

} // namespace
