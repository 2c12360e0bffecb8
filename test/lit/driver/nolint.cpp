// clang-tidy's NOLINT grammar, with check names and globs.
// RUN: not %taskfit %s -- -std=c++20 | FileCheck %s --implicit-check-not="warning:"
#include <coroutine>
#include <unistd.h>

struct Job {
  struct promise_type {
    Job get_return_object() { return {}; }
    std::suspend_never initial_suspend() { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
struct Ready {
  bool await_ready() { return true; }
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() {}
};

Job suppressed() {
  co_await Ready{};
  sleep(1); // NOLINT
  sleep(1); // NOLINT(blocking-call-in-coroutine)
  sleep(1); // NOLINT(blocking-*)
  // NOLINTNEXTLINE(blocking-call-in-coroutine)
  sleep(1);
  // NOLINTBEGIN(blocking-call-in-coroutine)
  sleep(1);
  usleep(1);
  // NOLINTEND(blocking-call-in-coroutine)
}

Job not_suppressed() {
  co_await Ready{};
  sleep(1); // NOLINT(blocking-call-on-event-loop)
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'not_suppressed' calls 'sleep'
  sleep(1); // NOLINTFOO
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'not_suppressed' calls 'sleep'
  // NOLINTNEXTLINE(blocking-call-in-coroutine)

  sleep(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'not_suppressed' calls 'sleep'
}
