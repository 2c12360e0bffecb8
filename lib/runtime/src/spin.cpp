#include "taskfit/runtime/spin.hpp"

#include <atomic>
#include <cstdlib>
#include <sched.h>

namespace taskfit {

namespace {
// TASKFIT_SPIN_BEFORE_BLOCKING_US sets the starting value, so that spinning can be turned off
// (0) or tuned without a rebuild.
std::chrono::nanoseconds::rep initial_budget_ns() {
  const char* text = std::getenv("TASKFIT_SPIN_BEFORE_BLOCKING_US");
  if (text == nullptr || *text == '\0')
    return 50'000;
  char* end = nullptr;
  const long long microseconds = std::strtoll(text, &end, 10);
  if (*end != '\0' || microseconds < 0 || microseconds > 1'000'000)
    return 50'000;
  return static_cast<std::chrono::nanoseconds::rep>(microseconds) * 1000;
}

std::atomic<std::chrono::nanoseconds::rep> spin_budget_ns{initial_budget_ns()};
} // namespace

std::chrono::nanoseconds spin_before_blocking() noexcept {
  return std::chrono::nanoseconds(spin_budget_ns.load(std::memory_order_relaxed));
}

void set_spin_before_blocking(std::chrono::nanoseconds budget) noexcept {
  spin_budget_ns.store(budget.count() < 0 ? 0 : budget.count(), std::memory_order_relaxed);
}

namespace detail {
void yield_core() noexcept {
  ::sched_yield();
}
} // namespace detail

} // namespace taskfit
