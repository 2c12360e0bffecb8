// Spinning before blocking. A thread that waits for another thread or process (result() on a
// future, an idle pool worker waiting for work, an event loop awaiting a pool's answer) first
// checks for a short while in a loop, and only then asks the kernel to put it to sleep: waking a
// sleeping thread costs 3-60 us on a virtual machine, more than most round trips it waits for.
// Spinning for at most what a wake-up costs never more than doubles a wait, and saves the
// wake-up whenever the answer comes within that time. Python's executors always sleep.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <utility>

namespace taskfit {

// How long a waiter spins before it sleeps: 50 us, or TASKFIT_SPIN_BEFORE_BLOCKING_US from the
// environment, unless set. Zero: sleep at once (for a machine whose cores are all taken by other
// work). Process-pool workers use the value the program had
// when their fork server started.
std::chrono::nanoseconds spin_before_blocking() noexcept;
void set_spin_before_blocking(std::chrono::nanoseconds budget) noexcept;

namespace detail {

// Tells the core (and a hyper-thread sibling) that this is a spin-wait.
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

// Lets another thread that is ready to run on this core run first (sched_yield).
void yield_core() noexcept;

// How a spin ended.
enum class Spin {
  ready,       // ready() said so
  spent,       // the budget is spent, or the deadline has passed
  core_wanted, // another thread wanted this core
};

// Calls `ready()` until it returns true, `budget` is spent or `deadline` has passed, or another
// thread wants this core. Every 10 us the core is offered to whoever else is ready to run on it
// (sched_yield): the thread or process being waited for may be queued right there. Waking a
// sleeper through a socket places it on the waker's core, expecting the waker to sleep; a waker
// that spins instead kept it waiting 0.7 ms instead of 30 us (measured here). When the offer was
// taken up (it came back late), the spin ends: spinning on a core another thread needs only
// delays that thread, which may well be the one being waited for.
template <class Ready>
Spin spin_for(std::chrono::nanoseconds budget, Ready&& ready,
              std::chrono::steady_clock::time_point deadline) {
  if (budget <= std::chrono::nanoseconds::zero())
    return ready() ? Spin::ready : Spin::spent;
  constexpr std::chrono::microseconds yield_every(10);
  constexpr std::chrono::microseconds taken_up_after(20);
  auto now = std::chrono::steady_clock::now();
  const auto end = deadline - now > budget ? now + budget : deadline;
  auto next_yield = now + yield_every;
  for (unsigned round = 1;; ++round) {
    if (ready())
      return Spin::ready;
    // The clock is read every few rounds: it costs more than a check.
    if ((round & 15) == 0) {
      now = std::chrono::steady_clock::now();
      if (now >= end)
        return Spin::spent;
      if (now >= next_yield) {
        yield_core();
        const auto back = std::chrono::steady_clock::now();
        if (back - now >= taken_up_after)
          return ready() ? Spin::ready : Spin::core_wanted;
        now = back;
        next_yield = now + yield_every;
      }
    }
    cpu_relax();
  }
}

// Calls `ready()` until it returns true (then true) or the spin budget (never past `deadline`)
// is spent, or another thread wants the core (then false).
template <class Ready>
bool spin_until(Ready&& ready, std::chrono::steady_clock::time_point deadline =
                                   std::chrono::steady_clock::time_point::max()) {
  return spin_for(spin_before_blocking(), std::forward<Ready>(ready), deadline) == Spin::ready;
}

// The spin budget of one kind of wait (a pool's round trips, a worker's wait for its next task),
// which follows the waits it serves, after KVM's halt polling: when a wait outlasts the spin but
// ends within twice the base budget (spin_before_blocking()), the budget doubles, up to that; a
// longer wait, or a spin that another thread's need for the core ended, brings it back to the
// base. Waits that recur at about the same length, a little longer than the base, then spin
// through instead of each paying a wake-up; long waits cost no more spinning than the base.
class AdaptiveSpin {
public:
  template <class Ready>
  Spin spin_until(Ready&& ready, std::chrono::steady_clock::time_point deadline =
                                     std::chrono::steady_clock::time_point::max()) {
    const Spin spin =
        spin_for(budget(spin_before_blocking()), std::forward<Ready>(ready), deadline);
    if (spin == Spin::core_wanted) // spinning longer would take more from whoever needs the core
      budget_ns_.store(0, std::memory_order_relaxed);
    return spin;
  }

  // After a wait whose spin was spent in vain (Spin::spent) and which then slept: how long it
  // took in all.
  void slept(std::chrono::nanoseconds waited) noexcept {
    const std::chrono::nanoseconds base = spin_before_blocking();
    const std::chrono::nanoseconds next =
        waited <= max_factor * base ? std::min(2 * budget(base), max_factor * base) : base;
    budget_ns_.store(next.count(), std::memory_order_relaxed);
  }

  // How long the next wait spins.
  std::chrono::nanoseconds budget() const noexcept { return budget(spin_before_blocking()); }

private:
  static constexpr int max_factor = 2;

  std::chrono::nanoseconds budget(std::chrono::nanoseconds base) const noexcept {
    return std::clamp(std::chrono::nanoseconds(budget_ns_.load(std::memory_order_relaxed)), base,
                      max_factor * base);
  }

  std::atomic<std::chrono::nanoseconds::rep> budget_ns_{0};
};

} // namespace detail
} // namespace taskfit
