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

TEST_F(SpinBudget, ASpinEndsWhenAnotherThreadWantsTheCore) {
  // Both threads on one core: the spinner offers it every 10 us, the other one takes it up, and
  // the spin ends instead of taking the core back for the rest of its budget.
  const int cpu = ::sched_getcpu();
  cpu_set_t before;
  ::pthread_getaffinity_np(::pthread_self(), sizeof before, &before);
  if (cpu < 0 || !pin_to(cpu))
    GTEST_SKIP() << "cannot pin threads to a core here";
  std::atomic<bool> started{false}, stop{false};
  std::thread other([&] {
    pin_to(cpu);
    started = true;
    while (!stop.load(std::memory_order_relaxed))
      taskfit::detail::cpu_relax();
  });
  while (!started)
    std::this_thread::yield();
  const auto spin = taskfit::detail::spin_for(
      std::chrono::seconds(5), [] { return false; }, std::chrono::steady_clock::time_point::max());
  stop = true;
  other.join();
  ::pthread_setaffinity_np(::pthread_self(), sizeof before, &before);
  EXPECT_EQ(spin, taskfit::detail::Spin::core_wanted);
}

TEST_F(SpinBudget, ASpinThatGaveTheCoreAwayBringsTheBudgetBackToTheBase) {
  taskfit::detail::AdaptiveSpin adaptive;
  adaptive.slept(70us);
  ASSERT_EQ(adaptive.budget(), 100us);
  const int cpu = ::sched_getcpu();
  cpu_set_t before;
  ::pthread_getaffinity_np(::pthread_self(), sizeof before, &before);
  if (cpu < 0 || !pin_to(cpu))
    GTEST_SKIP() << "cannot pin threads to a core here";
  std::atomic<bool> started{false}, stop{false};
  std::thread other([&] {
    pin_to(cpu);
    started = true;
    while (!stop.load(std::memory_order_relaxed))
      taskfit::detail::cpu_relax();
  });
  while (!started)
    std::this_thread::yield();
  taskfit::set_spin_before_blocking(5ms); // long enough for the other thread to take the core
  const auto spin = adaptive.spin_until([] { return false; });
  stop = true;
  other.join();
  ::pthread_setaffinity_np(::pthread_self(), sizeof before, &before);
  EXPECT_EQ(spin, taskfit::detail::Spin::core_wanted);
  EXPECT_EQ(adaptive.budget(), 5ms); // the base again
}

} // namespace
