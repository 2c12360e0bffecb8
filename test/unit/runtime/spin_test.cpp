// Spinning before blocking: the budget of spin_until and how AdaptiveSpin follows the waits.
#include <chrono>
#include <gtest/gtest.h>
#include <taskfit/runtime/spin.hpp>

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
  EXPECT_FALSE(adaptive.spin_until([&] { return ++checks < 0; }));
  EXPECT_EQ(checks, 1);
}

TEST_F(SpinBudget, WaitsALittleLongerThanTheSpinGrowItUpToFourTimesTheBase) {
  taskfit::detail::AdaptiveSpin adaptive;
  EXPECT_EQ(adaptive.budget(), 50us);
  adaptive.slept(70us);
  EXPECT_EQ(adaptive.budget(), 100us);
  adaptive.slept(150us);
  EXPECT_EQ(adaptive.budget(), 200us);
  adaptive.slept(190us);
  EXPECT_EQ(adaptive.budget(), 200us); // the cap
}

TEST_F(SpinBudget, ALongWaitBringsItBackToTheBase) {
  taskfit::detail::AdaptiveSpin adaptive;
  adaptive.slept(70us);
  adaptive.slept(70us);
  ASSERT_EQ(adaptive.budget(), 200us);
  adaptive.slept(5ms);
  EXPECT_EQ(adaptive.budget(), 50us);
}

TEST_F(SpinBudget, TheBudgetFollowsTheBaseWhenItChanges) {
  taskfit::detail::AdaptiveSpin adaptive;
  adaptive.slept(70us);
  ASSERT_EQ(adaptive.budget(), 100us);
  taskfit::set_spin_before_blocking(10us);
  EXPECT_EQ(adaptive.budget(), 40us); // within [base, 4 x base]
  taskfit::set_spin_before_blocking(200us);
  EXPECT_EQ(adaptive.budget(), 200us);
}

} // namespace
